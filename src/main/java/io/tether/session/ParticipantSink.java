package io.tether.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * A participant's end of a session: a browser terminal, a link port's TCP connection or a
 * tether-cli forward channel. The hub calls it from its own context; the sink's futures complete on
 * the sink's context.
 */
public interface ParticipantSink {
  /** The hub took this participant in; called on the sink's context. */
  void joined(Membership membership);

  /**
   * Whether joining or falling behind replays the recent output (a terminal redraws its screen); a
   * raw byte stream such as a link port only gets live bytes.
   */
  default boolean replaysRecentOutput() {
    return true;
  }

  /** Where this sink's socket lives. */
  Context context();

  /** Bytes from the device; the future completes when they were written to the socket. */
  Future<Void> write(Buffer data);

  /** A control message (browsers get it as JSON; byte-only sinks ignore it). */
  void control(ControlMessage message);

  /** Stop reading input: the device side cannot take more now. */
  void pauseInput();

  void resumeInput();

  /**
   * The participant is out of the session (it ended, or access was revoked): say why, then close.
   *
   * @param code the verdict: a browser's WebSocket close code
   * @param reason a label from {@link CloseReasons} (or a refusal label)
   * @param detail words for the user
   */
  void closed(CloseCode code, String reason, String detail);

  /** {@link #closed(CloseCode, String, String)} with the code's own label as the reason. */
  default void closed(CloseCode code, String detail) {
    closed(code, code.label(), detail);
  }
}
