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
 * @param mode what to do when someone else controls the session
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
    String address,
    Mode mode) {

  /** How a participant joins a session that already has a controller. */
  public enum Mode {
    /** Join as an observer (browsers). */
    SHARE,
    /** Be refused: the connection is closed and the refusal audited (link ports). */
    EXCLUSIVE,
    /** Take control; the controller becomes an observer (link ports set to take over). */
    TAKE_OVER
  }

  Long userId() {
    return principal == null ? null : principal.userId();
  }

  String key() {
    return deviceId + "/" + target;
  }
}
