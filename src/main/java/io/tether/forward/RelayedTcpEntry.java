package io.tether.forward;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.access.AccessChanged;
import io.tether.access.AccessRecheck;
import io.tether.access.Authenticator;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Problem;
import io.tether.api.SocketAdmission;
import io.tether.device.Device;
import io.tether.protocol.Reason;
import io.tether.relay.RelayAssertion;
import io.tether.relay.RelayPurpose;
import io.tether.relay.RelayedEntry;
import io.tether.session.CloseReasons;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device's node's side of a relayed TCP stream ({@link RelayPurpose#TCP}): the user is read
 * again by their credential and must operate the device, the target must be a TCP one its group
 * lets go unrecorded; only once the device opened the channel is the socket accepted (a refusal
 * reaches the other node as a problem with the device's words). Access changes re-check it here
 * too. The forward session row is the user's node's, which counts the bytes.
 */
@ApplicationScoped
public class RelayedTcpEntry implements RelayedEntry {
  @Inject SocketAdmission admission;
  @Inject Authenticator authenticator;
  @Inject ForwardCheck check;
  @Inject Tunnels tunnels;
  @Inject AccessRecheck recheck;

  private final Set<Stream> live = ConcurrentHashMap.newKeySet();

  @Override
  public Set<RelayPurpose> purposes() {
    return EnumSet.of(RelayPurpose.TCP);
  }

  @Override
  public void accept(RoutingContext ctx, RelayAssertion a) {
    admission.admit(
        ctx,
        () -> QuarkusTransaction.requiringNew().call(() -> admitted(a)),
        Principal::userId,
        null, // counted by the node the user reached
        (p, lease) -> {
          ctx.request().pause(); // upgraded once the device opened the channel
          Stream s = new Stream(ctx, p, a.deviceId(), lease::release);
          tunnels.open(a.deviceId(), a.target(), Optional.empty(), s, Vertx.currentContext());
        });
  }

  private Principal admitted(RelayAssertion a) {
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

  /** Access changes re-check each live stream with its user as they are now. */
  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    for (Stream s : live) {
      if (change.concerns(s.principal.userId(), s.deviceId)) {
        recheck.recheck(
            () -> check.stillAllowed(s.principal, s.deviceId),
            null,
            () -> live.contains(s),
            allowed -> {
              if (allowed == null || !allowed) {
                s.revoke(
                    new Reason(
                        Reason.ACCESS_REVOKED,
                        CloseReasons.ACCESS_REVOKED + ": " + change.reason()));
              }
            });
      }
    }
  }

  /** One relayed stream: the device channel and the socket, once both are open. */
  private final class Stream implements ChannelConsumer {
    private final RoutingContext ctx;
    private final Principal principal;
    private final long deviceId;
    private final Runnable release;
    private final Context context = Vertx.currentContext();
    private DeviceChannel channel;
    private ServerWebSocket ws;
    private boolean closed;

    Stream(RoutingContext ctx, Principal principal, long deviceId, Runnable release) {
      this.ctx = ctx;
      this.principal = principal;
      this.deviceId = deviceId;
      this.release = release;
    }

    @Override
    public void onOpened(DeviceChannel opened) {
      channel = opened;
      ctx.request().resume();
      ctx.request()
          .toWebSocket()
          .onFailure(e -> end(new Reason(Reason.PEER_CLOSED, "the relaying node went away")))
          .onSuccess(this::wire);
    }

    private void wire(ServerWebSocket socket) {
      ws = socket;
      if (closed) {
        RelayedTcp.close(ws, new Reason(Reason.PEER_CLOSED, "the device closed the channel"));
        return;
      }
      live.add(this);
      ws.binaryMessageHandler(
          data -> {
            channel.write(data);
            if (channel.writeQueueFull()) {
              ws.pause(); // resumed by onWritable
            }
          });
      ws.textMessageHandler(
          text -> {
            if (RelayedTcp.EOF.equals(text)) {
              channel.end();
            }
          });
      ws.exceptionHandler(e -> {});
      ws.closeHandler(v -> end(RelayedTcp.reasonOf(ws)));
    }

    @Override
    public void onRefused(Reason reason) {
      ctx.request().resume();
      release.run();
      Problem.send(ctx, 502, reason.toString());
    }

    @Override
    public void onData(Buffer data, Runnable delivered) {
      if (ws == null || ws.isClosed()) {
        delivered.run();
        return;
      }
      ws.writeBinaryMessage(data).onComplete(r -> delivered.run());
    }

    @Override
    public void onEof() {
      if (ws != null && !ws.isClosed()) {
        ws.writeTextMessage(RelayedTcp.EOF);
      }
    }

    @Override
    public void onClosed(Reason reason) {
      if (ws != null) {
        RelayedTcp.close(ws, reason);
      }
      end(reason);
    }

    @Override
    public void onWritable() {
      if (ws != null) {
        ws.resume();
      }
    }

    void revoke(Reason reason) {
      context.runOnContext(
          v -> {
            if (ws != null) {
              RelayedTcp.close(ws, reason);
            }
            channel.close(reason);
          });
    }

    private void end(Reason reason) {
      if (!closed) {
        closed = true;
        live.remove(this);
        release.run();
        if (channel != null) {
          channel.close(reason);
        }
      }
    }
  }
}
