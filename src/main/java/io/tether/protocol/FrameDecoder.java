package io.tether.protocol;

import java.util.function.Consumer;

/**
 * Decodes a byte stream (arbitrary chunks) into frames: an explicit state machine, for stream
 * transports and fuzzing. The header is validated before the payload buffer is allocated, so no
 * input can make it allocate more than one maximum frame. Once in ERROR it never resumes.
 */
public final class FrameDecoder {
  /** Where the decoder is. */
  public enum State {
    READ_HEADER,
    READ_PAYLOAD,
    ERROR
  }

  private final Consumer<Frame> frames;
  private final byte[] header = new byte[ProtocolLimits.HEADER_SIZE];
  private State state = State.READ_HEADER;
  private int headerFill;
  private FrameHeader current;
  private byte[] payload;
  private int payloadFill;
  private ProtocolException error;

  public FrameDecoder(Consumer<Frame> frames) {
    this.frames = frames;
  }

  public State state() {
    return state;
  }

  /** Bytes currently held for a partial frame (never above HEADER_SIZE + MAX_PAYLOAD). */
  public int buffered() {
    return headerFill + (payload == null ? 0 : payload.length);
  }

  public void feed(byte[] buf, int off, int len) throws ProtocolException {
    if (state == State.ERROR) {
      throw error;
    }
    int end = off + len;
    int i = off;
    while (i < end) {
      if (state == State.READ_HEADER) {
        int n = Math.min(end - i, header.length - headerFill);
        System.arraycopy(buf, i, header, headerFill, n);
        headerFill += n;
        i += n;
        if (headerFill == header.length) {
          try {
            current = FrameHeader.parse(header, 0);
          } catch (ProtocolException e) {
            fail(e);
          }
          headerFill = 0;
          payload = new byte[current.length()];
          payloadFill = 0;
          state = State.READ_PAYLOAD;
        }
      }
      if (state == State.READ_PAYLOAD) {
        int n = Math.min(end - i, payload.length - payloadFill);
        System.arraycopy(buf, i, payload, payloadFill, n);
        payloadFill += n;
        i += n;
        if (payloadFill == payload.length) {
          Frame frame = new Frame(current.type(), current.channel(), payload);
          payload = null;
          current = null;
          state = State.READ_HEADER;
          frames.accept(frame);
        }
      }
    }
  }

  private void fail(ProtocolException e) throws ProtocolException {
    state = State.ERROR;
    error = e;
    payload = null;
    throw e;
  }
}
