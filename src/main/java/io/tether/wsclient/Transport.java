package io.tether.wsclient;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte stream under the WebSocket: the socket itself, or TLS over it. Reads happen on the
 * selector thread only; writes on one thread at a time (possibly another), concurrently with reads.
 */
interface Transport {
  /** Reads what is available into {@code dst}: bytes read, 0 when nothing now, -1 at the end. */
  int read(ByteBuffer dst) throws IOException;

  /**
   * Writes as much of {@code src} as the socket takes now: true when all of it (and anything the
   * transport holds itself) is written; false means wait until the socket is writable.
   */
  boolean write(ByteBuffer src) throws IOException;

  /** Whether the transport itself has something to send (a TLS key update) without new data. */
  default boolean wantsWrite() {
    return false;
  }

  /** The plain socket. */
  record Plain(SocketChannel channel) implements Transport {
    @Override
    public int read(ByteBuffer dst) throws IOException {
      return channel.read(dst);
    }

    @Override
    public boolean write(ByteBuffer src) throws IOException {
      channel.write(src);
      return !src.hasRemaining();
    }
  }
}
