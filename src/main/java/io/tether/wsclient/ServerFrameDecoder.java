package io.tether.wsclient;

import io.tether.protocol.TunnelCloseCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Server-to-client WebSocket frames (RFC 6455 section 5) from a byte stream, in any split:
 * reassembles fragmented binary messages up to a limit and reports control frames. A state machine;
 * after a close or a violation it reads nothing more.
 */
final class ServerFrameDecoder {
  /** What the stream carried, in order. */
  interface Events {
    /** A whole binary message: {@code data[0, length)}, owned by the receiver. */
    void message(byte[] data, int length);

    void ping(byte[] payload);

    /** The peer's close frame; code 1005 when it carried none. */
    void close(int code, String reason);

    /** The stream broke a rule; nothing more is read. */
    void violation(int code, String reason);
  }

  static final int NO_STATUS = 1005;
  private static final int CONTINUATION = 0x0;
  private static final int TEXT = 0x1;
  private static final int MAX_CONTROL_PAYLOAD = 125;

  private enum State {
    HEADER,
    PAYLOAD,
    DONE
  }

  private final int maxMessage;
  private final Events events;
  private State state = State.HEADER;
  private boolean fin;
  private int opcode;
  private int remaining;
  private boolean fragmented;
  private byte[] message;
  private int messageLength;
  private byte[] control;
  private int controlLength;

  ServerFrameDecoder(int maxMessage, Events events) {
    this.maxMessage = maxMessage;
    this.events = events;
  }

  /** After a close frame or a violation: nothing more is read. */
  boolean done() {
    return state == State.DONE;
  }

  /** Consumes what {@code in} holds, except the start of a header not yet complete. */
  void feed(ByteBuffer in) {
    while (state != State.DONE) {
      if (state == State.HEADER) {
        if (!header(in)) {
          return;
        }
      } else if (!in.hasRemaining()) {
        return;
      } else {
        int n = Math.min(remaining, in.remaining());
        if (opcode >= ClientFrames.CLOSE) {
          in.get(control, controlLength, n);
          controlLength += n;
        } else {
          in.get(message, messageLength, n);
          messageLength += n;
        }
        remaining -= n;
        if (remaining == 0) {
          frameDone();
        }
      }
    }
  }

  private boolean header(ByteBuffer in) {
    int p = in.position();
    if (in.remaining() < 2) {
      return false;
    }
    int b0 = in.get(p) & 0xFF;
    int b1 = in.get(p + 1) & 0xFF;
    int len7 = b1 & 0x7F;
    int headerLength = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
    if (in.remaining() < headerLength) {
      return false;
    }
    long length =
        len7 == 126 ? in.getShort(p + 2) & 0xFFFF : len7 == 127 ? in.getLong(p + 2) : len7;
    in.position(p + headerLength);
    fin = (b0 & 0x80) != 0;
    opcode = b0 & 0x0F;
    String broken = check(b0, b1, length);
    if (broken != null) {
      violation(TunnelCloseCode.PROTOCOL_ERROR.code(), broken);
      return false;
    }
    if (opcode < ClientFrames.CLOSE) {
      long total = (fragmented ? messageLength : 0) + length;
      if (length < 0 || total > maxMessage) {
        violation(TunnelCloseCode.FRAME_TOO_LARGE.code(), "message larger than a frame");
        return false;
      }
      if (!fragmented) {
        message = new byte[(int) length];
        messageLength = 0;
      } else if (message.length < total) {
        message = Arrays.copyOf(message, (int) Math.max(total, Math.min(maxMessage, 2L * total)));
      }
      fragmented = !fin;
    } else {
      control = new byte[(int) length];
      controlLength = 0;
    }
    remaining = (int) length;
    state = State.PAYLOAD;
    if (remaining == 0) {
      frameDone();
    }
    return true;
  }

  /** What is wrong with this frame header, or null. */
  private String check(int b0, int b1, long length) {
    if ((b0 & 0x70) != 0) {
      return "reserved bits set (no extension was negotiated)";
    }
    if ((b1 & 0x80) != 0) {
      return "the server masked a frame";
    }
    if (opcode == TEXT) {
      return "text messages are not part of the protocol";
    }
    if (opcode == CONTINUATION && !fragmented) {
      return "a continuation frame without a message to continue";
    }
    if (opcode == ClientFrames.BINARY && fragmented) {
      return "a new message inside a fragmented one";
    }
    if (opcode >= ClientFrames.CLOSE && (!fin || length > MAX_CONTROL_PAYLOAD)) {
      return "a fragmented or oversized control frame";
    }
    if (opcode > ClientFrames.BINARY
        && opcode != ClientFrames.CLOSE
        && opcode != ClientFrames.PING
        && opcode != ClientFrames.PONG) {
      return "unknown opcode " + opcode;
    }
    return null;
  }

  private void frameDone() {
    state = State.HEADER;
    switch (opcode) {
      case ClientFrames.PING -> events.ping(control);
      case ClientFrames.PONG -> {
        // unsolicited or answering a ping we never send: ignored, as RFC 6455 allows
      }
      case ClientFrames.CLOSE -> closeFrame();
      default -> {
        if (fin) {
          byte[] whole = message;
          message = null;
          events.message(whole, messageLength);
        }
      }
    }
  }

  private void closeFrame() {
    state = State.DONE;
    if (controlLength == 0) {
      events.close(NO_STATUS, "");
    } else if (controlLength == 1) {
      events.violation(TunnelCloseCode.PROTOCOL_ERROR.code(), "a close frame of one byte");
    } else {
      int code = ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
      events.close(code, new String(control, 2, controlLength - 2, StandardCharsets.UTF_8));
    }
  }

  private void violation(int code, String reason) {
    state = State.DONE;
    events.violation(code, reason);
  }
}
