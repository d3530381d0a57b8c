package io.tether.deviceweb;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Decodes an HTTP/1.1 chunked body (RFC 9112 section 7.1) as it arrives, handing on the data of
 * each chunk. An explicit state machine: once it failed it stays failed; trailers are read and
 * dropped.
 */
final class ChunkedDecoder {
  /** A chunk-size line (with extensions) or a trailer line longer than this is refused. */
  static final int MAX_LINE = 4096;

  private enum State {
    SIZE,
    DATA,
    DATA_CRLF,
    TRAILER,
    DONE,
    FAILED
  }

  private State state = State.SIZE;
  private final StringBuilder line = new StringBuilder();
  private long remaining;

  /**
   * Feeds bytes; data goes to {@code body}. Answers how many bytes of {@code in} were used (less
   * than all once the body ended: the rest belongs to no response). Throws on malformed input.
   */
  int feed(Buffer in, Consumer<Buffer> body) {
    int i = 0;
    int n = in.length();
    while (i < n && state != State.DONE) {
      switch (state) {
        case SIZE, TRAILER, DATA_CRLF -> {
          byte b = in.getByte(i++);
          if (b == '\n') {
            lineEnded();
          } else if (b != '\r') {
            if (line.length() >= MAX_LINE) {
              fail("chunk line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) (b & 0xff));
          }
        }
        case DATA -> {
          int take = (int) Math.min(remaining, n - i);
          body.accept(in.getBuffer(i, i + take));
          i += take;
          remaining -= take;
          if (remaining == 0) {
            state = State.DATA_CRLF;
          }
        }
        default -> throw new IllegalStateException("chunked body already failed");
      }
    }
    return i;
  }

  boolean done() {
    return state == State.DONE;
  }

  private void lineEnded() {
    String text = line.toString();
    line.setLength(0);
    switch (state) {
      case SIZE -> {
        int semi = text.indexOf(';');
        String hex = (semi < 0 ? text : text.substring(0, semi)).trim();
        if (hex.isEmpty() || hex.length() > 15 || !hex.matches("[0-9A-Fa-f]+")) {
          fail("bad chunk size '" + text + "'");
        }
        remaining = Long.parseLong(hex, 16);
        state = remaining == 0 ? State.TRAILER : State.DATA;
      }
      case DATA_CRLF -> {
        if (!text.isEmpty()) {
          fail("chunk data not followed by CRLF");
        }
        state = State.SIZE;
      }
      case TRAILER -> {
        if (text.isEmpty()) {
          state = State.DONE;
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void fail(String why) {
    state = State.FAILED;
    throw new IllegalArgumentException(why);
  }
}
