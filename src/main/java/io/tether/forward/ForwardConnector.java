package io.tether.forward;

import io.tether.access.Principal;
import io.tether.device.Device;
import io.tether.protocol.Open;
import io.tether.session.JoinRequest;
import io.tether.session.SessionHubs;
import io.tether.tunnel.TunnelHub;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Connects an admitted CLI channel to its target: a serial target through its session (the channel
 * is a participant, {@code via cli}), a TCP target straight to a device channel.
 */
@ApplicationScoped
public class ForwardConnector {
  @Inject SessionHubs hubs;
  @Inject TunnelHub tunnels;

  /** Call on the forward session's context, after the access policy admitted the open. */
  void connect(
      Device device,
      Open open,
      ForwardBridge bridge,
      Principal principal,
      String address,
      Context context) {
    boolean serial =
        device.targets.stream()
            .anyMatch(t -> t.name().equals(open.target()) && "serial".equals(t.kind()));
    if (!serial) {
      tunnels.open(device.id, open.target(), open.line(), bridge, context);
      return;
    }
    JoinRequest who =
        new JoinRequest(
            device.id,
            device.name,
            open.target(),
            true,
            principal,
            principal.username(),
            "cli",
            true, // the open was checked for operating the device
            device.group.recording,
            address,
            open.takeOver() ? JoinRequest.Mode.TAKE_OVER : JoinRequest.Mode.EXCLUSIVE);
    hubs.join(who, new ForwardParticipant(who, bridge, context));
  }
}
