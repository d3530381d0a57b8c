package io.tether.wsclient;

import io.tether.protocol.LineSettings;
import java.io.IOException;

/** The local end of one channel: a TCP connection or a serial line. */
public interface ByteStream {
  /** Reads up to {@code max} bytes: the count, 0 when nothing arrived yet, -1 at end of stream. */
  int read(byte[] buffer, int max) throws IOException;

  /**
   * The bytes of the last {@link #read} went to the portal. A stream that has frames of its own to
   * send in order with its data (the CLI's RFC 2217 LINE changes) sends them now, before the reader
   * waits for credit.
   */
  default void sent() {}

  /**
   * Whether the end of this stream's input leaves the other direction open (TCP's half-close: an
   * EOF is sent and output still flows), or ends the channel (a Telnet session has no half-close: a
   * client that stopped sending has gone, and the serial port must be freed for the next one).
   */
  default boolean halfCloses() {
    return true;
  }

  /** Writes all bytes (blocking until the target took them). */
  void write(byte[] buffer, int offset, int length) throws IOException;

  /** No more bytes will be written (half-close). */
  void shutdownOutput() throws IOException;

  /** Applies serial line settings; TCP targets refuse. */
  void line(LineSettings settings) throws IOException;

  /** Releases the stream (a serial line itself stays open for the next channel). */
  void close();
}
