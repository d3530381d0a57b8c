package io.tether.session;

import io.tether.access.CredentialWatch;
import io.tether.access.Principal;
import io.tether.api.SendBudget;
import io.tether.net.Connections;
import io.tether.protocol.PeerText;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One View Data Flow socket: each binary message is a direction byte (1 device → host, 2 host →
 * device, only with the replay right) and the bytes. It never slows the session: output beyond its
 * buffer is skipped and the browser told how much.
 */
final class FlowSocket implements FlowTap, Revocable, CredentialWatch.Holder {
  /** Bytes this watcher may have unwritten before it skips. */
  static final long BUFFER_BYTES = 256 * 1024;

  private final ServerWebSocket ws;
  private final HttpConnection connection;
  private final JoinRequest who;
  private final SessionHubs hubs;
  private final TerminalRoute route;
  private final long watcherId;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final Context context = Vertx.currentContext();
  private CredentialWatch.Watch watch;

  /** Everything queued on the socket, text included: past it the browser is not reading. */
  private final SendBudget queued = new SendBudget(SessionLimits.SOCKET_QUEUE_BYTES);

  private final RefusalThrottle pings = new RefusalThrottle();

  FlowSocket(
      ServerWebSocket ws,
      HttpConnection connection,
      JoinRequest who,
      SessionHubs hubs,
      TerminalRoute route) {
    this.ws = ws;
    this.connection = connection;
    this.who = who;
    this.hubs = hubs;
    this.route = route;
    this.watcherId = hubs.nextWatcherId();
  }

  @Override
  public long watcherId() {
    return watcherId;
  }

  @Override
  public JoinRequest who() {
    return who;
  }

  @Override
  public void revoke(String detail) {
    end(CloseCode.NORMAL, CloseReasons.ACCESS_REVOKED, detail);
  }

  @Override
  public Principal principal() {
    return who.principal();
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void expired(String reason) {
    end(CloseCode.CREDENTIAL_EXPIRED, CloseReasons.CREDENTIAL_EXPIRED, reason);
  }

  private void end(CloseCode code, String label, String detail) {
    String reason = label + ": " + detail;
    text(new ControlMessage.Closed(label, reason));
    ws.close((short) code.code(), PeerText.closeReason(reason));
  }

  void start() {
    ws.closeHandler(
        v -> {
          if (watch != null) {
            watch.cancel();
          }
          hubs.unwatch(who.deviceId(), who.target(), this);
          route.ended(this);
        });
    watch = route.credentials().watch(this);
    ws.handler(b -> {}); // nothing is read from the browser
    // Vert.x answers PINGs itself, outside the budget: its write queue, with the high-water mark
    // at the same bound, catches a client that pings without reading
    ws.setWriteQueueMaxSize((int) SessionLimits.SOCKET_QUEUE_BYTES);
    ws.frameHandler(
        f -> {
          if (!f.isPing() || ws.isClosed()) {
            return;
          }
          // a browser cannot send PINGs, other clients one every few seconds
          if (pings.offer(System.nanoTime()) == RefusalThrottle.Verdict.FLOOD
              || ws.writeQueueFull()) {
            notReading();
          }
        });
    text(new ControlMessage.Watching(seesInput(), who.group()));
    hubs.watch(who.deviceId(), who.target(), this);
  }

  @Override
  public void traffic(Direction direction, Buffer data) {
    if (ws.isClosed()) {
      return;
    }
    int n = data.length() + 1;
    if (pending.get() + n > BUFFER_BYTES) {
      skipped.addAndGet(data.length());
      return;
    }
    long missed = skipped.getAndSet(0);
    if (missed > 0) {
      text(new ControlMessage.Skipped(missed));
    }
    if (!queued.take(n)) {
      notReading();
      return;
    }
    pending.addAndGet(n);
    Buffer framed = Buffer.buffer(n).appendByte((byte) direction.wire).appendBuffer(data);
    ws.writeBinaryMessage(framed)
        .onComplete(
            r -> {
              pending.addAndGet(-n);
              queued.give(n);
            });
  }

  /** A JSON message to the browser, counted in the socket's queue. */
  private void text(ControlMessage message) {
    String text = message.json().encode();
    int n = text.length();
    if (!queued.take(n)) {
      notReading();
      return;
    }
    ws.writeTextMessage(text).onComplete(r -> queued.give(n));
  }

  /** The socket's queue passed its bound: closed (slow-consumer); the close handler unwatches. */
  private void notReading() {
    ws.pause(); // Vert.x answers every PING it reads, even after the close: stop reading
    if (!ws.isClosed()) {
      ws.close(
          (short) CloseCode.SLOW_CONSUMER.code(),
          CloseCode.SLOW_CONSUMER.label()
              + ": more than "
              + SessionLimits.SOCKET_QUEUE_BYTES / 1024
              + " KiB waiting unread: closed");
    }
    Connections.abort(
        connection); // the close frame cannot pass what waits unread: end the connection now
  }

  @Override
  public void session(Long sessionId) {
    if (!ws.isClosed()) {
      text(new ControlMessage.FlowStatus(sessionId));
    }
  }
}
