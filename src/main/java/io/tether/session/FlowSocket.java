package io.tether.session;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One View Data Flow socket: each binary message is a direction byte (1 device → host, 2 host →
 * device, only with the replay right) and the bytes. It never slows the session: output beyond its
 * buffer is skipped and the browser told how much.
 */
final class FlowSocket implements FlowTap, Revocable {
  /** Bytes this watcher may have unwritten before it skips. */
  static final long BUFFER_BYTES = 256 * 1024;

  private final ServerWebSocket ws;
  private final JoinRequest who;
  private final SessionHubs hubs;
  private final TerminalRoute route;
  private final long watcherId;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  FlowSocket(ServerWebSocket ws, JoinRequest who, SessionHubs hubs, TerminalRoute route) {
    this.ws = ws;
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
    String reason = CloseReasons.ACCESS_REVOKED + ": " + detail;
    ws.writeTextMessage(
        new JsonObject()
            .put("type", "closed")
            .put("code", CloseReasons.ACCESS_REVOKED)
            .put("reason", reason)
            .encode());
    ws.close((short) 1000, reason.length() > 120 ? reason.substring(0, 120) : reason);
  }

  void start() {
    ws.closeHandler(
        v -> {
          hubs.unwatch(who.deviceId(), who.target(), this);
          route.ended(this);
        });
    ws.handler(b -> {}); // nothing is read from the browser
    ws.writeTextMessage(
        new JsonObject()
            .put("type", "watching")
            .put("input", seesInput())
            .put("group", who.group())
            .encode());
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
      ws.writeTextMessage(new JsonObject().put("type", "skipped").put("bytes", missed).encode());
    }
    pending.addAndGet(n);
    Buffer framed = Buffer.buffer(n).appendByte((byte) direction.wire).appendBuffer(data);
    ws.writeBinaryMessage(framed).onComplete(r -> pending.addAndGet(-n));
  }

  @Override
  public void session(Long sessionId) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(
          new JsonObject()
              .put("type", "status")
              .put("state", sessionId == null ? "idle" : "live")
              .put("session", sessionId)
              .encode());
    }
  }
}
