package io.tether.forward;

import io.tether.access.AccessChanged;
import io.tether.access.Authenticator;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.device.Device;
import io.tether.relay.RelayAssertion;
import io.tether.relay.RelayPurpose;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Set;

/**
 * The device's node's side of a relayed TCP stream ({@link RelayPurpose#TCP}): the user is read
 * again by their credential and must operate the device, the target must be a TCP one its group
 * lets go unrecorded. Access changes re-check it here too. The forward session row is the user's
 * node's, which counts the bytes.
 */
@ApplicationScoped
public class RelayedTcpEntry extends RelayedStreamEntry {
  @Inject Authenticator authenticator;
  @Inject ForwardCheck check;

  @Override
  public Set<RelayPurpose> purposes() {
    return EnumSet.of(RelayPurpose.TCP);
  }

  @Override
  protected Principal admit(RelayAssertion a) {
    Principal p =
        authenticator
            .current(a.principal())
            .filter(now -> now.userId() == a.userId())
            .orElseThrow(() -> ApiException.unauthorized("your sign-in has ended"));
    Device device = check.check(p, a.deviceId(), a.target());
    boolean serial =
        device.targets.stream()
            .anyMatch(t -> t.name().equals(a.target()) && "serial".equals(t.kind()));
    if (serial) {
      throw ApiException.badRequest(
          "target", "'" + a.target() + "' is a serial target: not a TCP stream");
    }
    if ("all".equals(device.group.recording) && !device.group.allowUnrecorded) {
      throw ApiException.forbidden(
          "group '" + device.group.name + "' records everything and a TCP forward is not recorded");
    }
    return p;
  }

  @Override
  protected boolean stillAllowed(Principal p, RelayAssertion a) {
    return Boolean.TRUE.equals(check.stillAllowed(p, a.deviceId()));
  }

  /** Access changes re-check each live stream with its user as they are now. */
  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    accessChanged(change);
  }
}
