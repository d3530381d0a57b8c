package io.tether.forward;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.access.AccessChanged;
import io.tether.access.AccessRecheck;
import io.tether.access.Principal;
import io.tether.api.Problem;
import io.tether.api.SocketAdmission;
import io.tether.protocol.Reason;
import io.tether.relay.RelayAssertion;
import io.tether.relay.RelayRefusals;
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
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device's node's side of relayed byte streams ({@code tcp}, {@code web}; wire rules in {@link
 * RelayedTcp}): the purpose's {@link #admit} re-reads the asserted user, the device opens the
 * channel, and only then is the socket accepted (a refusal reaches the other node as a problem with
 * the device's words). On every access change that concerns a live stream {@link #stillAllowed} is
 * asked again and a refused stream closes {@code access-revoked}: each purpose's entry observes
 * {@link AccessChanged} and hands it to {@link #accessChanged}.
 */
public abstract class RelayedStreamEntry implements RelayedEntry {
  @Inject protected SocketAdmission admission;
  @Inject protected Tunnels tunnels;
  @Inject protected AccessRecheck recheck;

  private final Set<Stream> live = ConcurrentHashMap.newKeySet();

  /**
   * In a transaction, off the event loop: the asserted user as they are now, or an {@link
   * io.tether.api.ApiException} refusing the open.
   */
  protected abstract Principal admit(RelayAssertion a);

  /** Off the event loop: whether the stream's user may still have it (false ends it). */
  protected abstract boolean stillAllowed(Principal p, RelayAssertion a);

  /**
   * A purpose's own bound on its streams at once (device pages: the web target's channel limits,
   * counted here where the device's tunnel is): runs {@code start} now or once a slot frees, on any
   * thread; false when the stream cannot even wait (refused as busy). Each stream that got a slot
   * gives it back through {@link #released}. Unbounded unless a purpose says otherwise.
   */
  protected boolean acquire(Principal p, RelayAssertion a, Runnable start) {
    start.run();
    return true;
  }

  /** The slot {@link #acquire} gave a stream is free again. */
  protected void released(Principal p, RelayAssertion a) {}

  /** Serves a relayed stream whose assertion the gate accepted. */
  @Override
  public void accept(RoutingContext ctx, RelayAssertion a) {
    admission.admit(
        ctx,
        () -> QuarkusTransaction.requiringNew().call(() -> admit(a)),
        Principal::userId,
        null, // counted by the node the user reached
        (p, lease) -> {
          ctx.request().pause(); // upgraded once the device opened the channel
          Context context = Vertx.currentContext();
          Stream s =
              new Stream(
                  ctx,
                  p,
                  a,
                  () -> {
                    lease.release();
                    released(p, a);
                  });
          boolean admitted =
              acquire(
                  p,
                  a,
                  () ->
                      context.runOnContext(
                          v ->
                              tunnels.open(
                                  a.deviceId(), a.target(), Optional.empty(), s, context)));
          if (!admitted) {
            lease.release();
            ctx.request().resume();
            Problem.send(
                ctx, 503, "Too many requests wait for this device; try again in a moment.");
          }
        });
  }

  /** Each live stream the change concerns is asked about again; a refused one closes. */
  protected void accessChanged(AccessChanged change) {
    for (Stream s : live) {
      if (change.concerns(s.principal.userId(), s.assertion.deviceId())) {
        recheck.recheck(
            () -> stillAllowed(s.principal, s.assertion),
            false,
            () -> live.contains(s),
            allowed -> {
              if (!allowed) {
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
    private final RelayAssertion assertion;
    private final Runnable releaseOnce;
    private boolean released;
    private final Context context = Vertx.currentContext();
    private DeviceChannel channel;
    private ServerWebSocket ws;
    private boolean closed;

    Stream(RoutingContext ctx, Principal principal, RelayAssertion assertion, Runnable release) {
      this.ctx = ctx;
      this.principal = principal;
      this.assertion = assertion;
      this.releaseOnce = release;
    }

    /** The socket's lease and the purpose's slot go back once, whichever way the stream ends. */
    private void release() {
      if (!released) {
        released = true;
        releaseOnce.run();
      }
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
      release();
      RelayRefusals.problem(reason).send(ctx);
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
        release();
        if (channel != null) {
          channel.close(reason);
        }
      }
    }
  }
}
