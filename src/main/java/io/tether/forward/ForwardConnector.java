package io.tether.forward;

import io.tether.access.Principal;
import io.tether.device.Device;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Open;
import io.tether.protocol.Reason;
import io.tether.relay.DeviceOwners;
import io.tether.relay.RelayDialer;
import io.tether.relay.RelayPurpose;
import io.tether.session.CloseReasons;
import io.tether.session.ForwardSessions;
import io.tether.session.JoinRequest;
import io.tether.session.SessionHubs;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects an admitted CLI channel to its target: a serial target through its session (the channel
 * is a participant, {@code via cli}), a TCP target straight to a device channel, counted in a
 * forward session row per socket and target.
 */
@ApplicationScoped
public class ForwardConnector {
  @Inject SessionHubs hubs;
  @Inject Tunnels tunnels;
  @Inject ForwardSessions sessions;
  @Inject RelayDialer relay;

  /** Each forwarding socket's (or SSH connection's) uses of TCP targets, by their owner. */
  private final Map<Object, ForwardUses> uses = new ConcurrentHashMap<>();

  /** Call on the forward session's context, after the access policy admitted the open. */
  void connect(
      ForwardSession socket,
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
      openTcp(socket, device, open.target(), open.line(), bridge, principal, context);
      return;
    }
    joinSerial(device, open.target(), bridge, principal, address, "cli", open.takeOver(), context);
  }

  /**
   * Joins {@code end} to the session of a serial target of the device as a byte stream participant
   * {@code via} a front door (cli, ssh): exclusive, or taking control with {@code takeOver}. Call
   * on the end's context, after the access policy admitted operating the device.
   */
  public void joinSerial(
      Device device,
      String target,
      ForwardEnd end,
      Principal principal,
      String address,
      String via,
      boolean takeOver,
      Context context) {
    JoinRequest who =
        new JoinRequest(
            device.id,
            device.name,
            target,
            true,
            principal,
            principal.username(),
            via,
            true, // the open was checked for operating the device
            device.group.recording,
            address,
            takeOver ? JoinRequest.Mode.TAKE_OVER : JoinRequest.Mode.EXCLUSIVE);
    hubs.join(who, new ForwardParticipant(who, end, context));
  }

  /**
   * Opens a channel to a TCP target of the device for {@code owner} (a forward socket, an SSH
   * connection), counted in the owner's forward session row for that target; refused when the
   * device's group records everything (a TCP forward is not recorded) unless it allows unrecorded
   * use. Call on the owner's context, after the access policy admitted the open.
   */
  public void openTcp(
      Object owner,
      Device device,
      String target,
      Optional<LineSettings> line,
      ForwardEnd end,
      Principal principal,
      Context context) {
    counted(owner, device, target, end, principal, context)
        .ifPresent(c -> tunnels.open(device.id, target, line, c, context));
  }

  /**
   * As {@link #openTcp}, for a device whose tunnel is on {@code node}: the channel is relayed there
   * (that node checks the user again and opens it), and counted here, where the user came.
   */
  public void openTcpOn(
      DeviceOwners.Owner node,
      Object owner,
      Device device,
      String target,
      ForwardEnd end,
      Principal principal,
      String address,
      Context context) {
    counted(owner, device, target, end, principal, context)
        .ifPresent(
            c ->
                RelayedChannel.open(
                    relay,
                    node,
                    principal,
                    address,
                    new RelayDialer.Request(RelayPurpose.TCP, device.id, target, "", List.of()),
                    c,
                    context));
  }

  /**
   * The channel's consumer, counted in {@code owner}'s forward session row for the target; empty
   * (the end told) when the group records everything and allows nothing unrecorded.
   */
  private Optional<CountedChannel> counted(
      Object owner, Device device, String target, ForwardEnd end, Principal p, Context context) {
    if (refusedUnrecorded(device, end)) {
      return Optional.empty();
    }
    ForwardUses.Target use =
        uses.computeIfAbsent(owner, o -> new ForwardUses(device.id, p, context, sessions))
            .target(target);
    return Optional.of(new CountedChannel(end, use));
  }

  /** A group that records everything takes no unrecorded TCP forward unless it allows one. */
  private static boolean refusedUnrecorded(Device device, ForwardEnd end) {
    if ("all".equals(device.group.recording) && !device.group.allowUnrecorded) {
      end.onRefused(
          new Reason(
              Reason.RECORDING_REQUIRED,
              "group '"
                  + device.group.name
                  + "' records everything and a forward to a TCP target is not recorded"
                  + " (an admin can set allowUnrecorded on the group)"));
      return true;
    }
    return false;
  }

  /**
   * The socket's rights on the device ended (its channels were closed): its TCP targets' sessions
   * end with that reason; a channel opened after access is given back starts a new one.
   */
  public void revoked(Object socket) {
    ForwardUses live = uses.get(socket);
    if (live != null) {
      live.endAll(CloseReasons.ACCESS_REVOKED);
    }
  }

  /** The forward socket (SSH connection) closed: its TCP targets' sessions end. On its context. */
  public void closed(Object socket) {
    ForwardUses ended = uses.remove(socket);
    if (ended != null) {
      ended.closed();
    }
  }
}
