package io.tether.wsclient;

import io.tether.protocol.LineSettings;
import java.io.IOException;

/** The local end of one channel: a TCP connection or a serial line. */
public interface ByteStream {
  /** Reads up to {@code max} bytes: the count, 0 when nothing arrived yet, -1 at end of stream. */
  int read(byte[] buffer, int max) throws IOException;

  /** Writes all bytes (blocking until the target took them). */
  void write(byte[] buffer, int offset, int length) throws IOException;

  /** No more bytes will be written (half-close). */
  void shutdownOutput() throws IOException;

  /** Applies serial line settings; TCP targets refuse. */
  void line(LineSettings settings) throws IOException;

  /** Releases the stream (a serial line itself stays open for the next channel). */
  void close();
}
