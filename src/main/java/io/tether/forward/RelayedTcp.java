package io.tether.forward;

import io.tether.protocol.PeerText;
import io.tether.protocol.Reason;
import io.vertx.core.http.WebSocketBase;

/**
 * The relayed TCP stream's wire rules, one place for both ends (docs/cluster.md): a channel's bytes
 * are binary messages, its half-close the text message {@value #EOF}, and its end the socket's
 * close with code {@code 4000 + } the {@link Reason} code (1000 for a normal end) and the reason's
 * words.
 */
final class RelayedTcp {
  /** The text message that half-closes the stream in its direction. */
  static final String EOF = "{\"type\":\"eof\"}";

  /** Bytes handed onward and not yet written before the socket stops being read. */
  static final int MAX_UNWRITTEN = 64 * 1024;

  private static final int REASON_BASE = 4000;

  private RelayedTcp() {}

  /** Ends the socket with {@code reason}, unless it is closed already. */
  static void close(WebSocketBase ws, Reason reason) {
    if (!ws.isClosed()) {
      short code = (short) (reason.code() == Reason.NORMAL ? 1000 : REASON_BASE + reason.code());
      ws.close(code, PeerText.closeReason(reason.message()));
    }
  }

  /** The reason a closed socket carried; a socket gone without a close frame lost its peer. */
  static Reason reasonOf(WebSocketBase ws) {
    Short code = ws.closeStatusCode();
    String words = ws.closeReason() == null ? "" : ws.closeReason();
    if (code == null || code == 1006) {
      return new Reason(Reason.PEER_CLOSED, "the portal node holding the device went away");
    }
    if (code > REASON_BASE && code < REASON_BASE + 100) {
      return new Reason(code - REASON_BASE, words);
    }
    return new Reason(Reason.NORMAL, words);
  }
}
