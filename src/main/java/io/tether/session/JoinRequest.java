package io.tether.session;

import io.tether.access.Principal;

/**
 * Who wants to join which device target, as the access policy admitted it.
 *
 * @param principal the signed-in user (null for non-user participants such as link ports)
 * @param username the name shown to other participants
 * @param via how they take part: {@code browser}, later {@code link}
 * @param mayControl whether the policy allows operating the device (else observe only)
 * @param recording the device group's recording policy: off, output, all
 */
public record JoinRequest(
    long deviceId,
    String deviceName,
    String target,
    boolean serial,
    Principal principal,
    String username,
    String via,
    boolean mayControl,
    String recording,
    String address) {

  Long userId() {
    return principal == null ? null : principal.userId();
  }

  String key() {
    return deviceId + "/" + target;
  }
}
