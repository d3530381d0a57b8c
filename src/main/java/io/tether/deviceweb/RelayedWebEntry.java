package io.tether.deviceweb;

import io.tether.access.AccessChanged;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.forward.RelayedStreamEntry;
import io.tether.relay.RelayAssertion;
import io.tether.relay.RelayPurpose;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The device's node's side of a device-web exchange another node relays ({@link RelayPurpose#WEB}):
 * the device-web session the assertion names is checked as a request here would check it (live, its
 * browser session alive, the user's operate right, a web target) and must be that user's, that
 * browser session's and that target's; access changes ask it again and close the stream. The web
 * target's channel limits count relayed requests here, beside this node's own.
 */
@ApplicationScoped
public class RelayedWebEntry extends RelayedStreamEntry {
  @Inject DeviceWebSessions sessions;
  @Inject ChannelLimits limits;

  @Override
  public Set<RelayPurpose> purposes() {
    return EnumSet.of(RelayPurpose.WEB);
  }

  @Override
  protected Principal admit(RelayAssertion a) {
    return sessions
        .byId(a.webSessionId())
        .filter(s -> matches(s, a))
        .map(DeviceWebSessions.Admitted::principal)
        .orElseThrow(
            () ->
                ApiException.forbidden(
                    "Your access to this device page ended (signed out, expired or revoked)."
                        + " Open it again from the portal."));
  }

  @Override
  protected boolean stillAllowed(Principal p, RelayAssertion a) {
    return sessions.byId(a.webSessionId()).filter(s -> matches(s, a)).isPresent();
  }

  /** The web target's channel limits, counted here with this node's own device-page requests. */
  @Override
  protected boolean acquire(Principal p, RelayAssertion a, Runnable start) {
    return limits.acquire(ChannelLimits.target(a.deviceId(), a.target()), p.userId(), start);
  }

  @Override
  protected void released(Principal p, RelayAssertion a) {
    limits.release(ChannelLimits.target(a.deviceId(), a.target()), p.userId());
  }

  /** The session is the asserted user's, from the asserted browser session, for that target. */
  private static boolean matches(DeviceWebSessions.Admitted s, RelayAssertion a) {
    return s.principal().userId() == a.userId()
        && a.via() == Principal.Via.WEB_SESSION
        && Objects.equals(s.principal().credentialId(), a.credentialId())
        && s.deviceId() == a.deviceId()
        && s.target().equals(a.target());
  }

  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    accessChanged(change);
  }
}
