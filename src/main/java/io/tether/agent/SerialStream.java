package io.tether.agent;

import io.tether.protocol.LineSettings;
import io.tether.wsclient.ByteStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** A channel on a serial line; closing the channel leaves the port open (DTR stays up). */
final class SerialStream implements ByteStream {
  private final SerialLine line;
  private final AtomicBoolean busy;
  private volatile boolean closed;

  SerialStream(SerialLine line, AtomicBoolean busy) {
    this.line = line;
    this.busy = busy;
  }

  @Override
  public int read(byte[] buffer, int max) throws IOException {
    if (closed) {
      return -1;
    }
    int n = line.read(buffer, max);
    if (n < 0) {
      throw new IOException("the serial port went away");
    }
    return n;
  }

  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    if (!line.write(buffer, offset, length)) {
      throw new IOException("the serial port went away");
    }
  }

  @Override
  public void shutdownOutput() {
    // a serial line has no half-close; the reader keeps running until the channel closes
  }

  @Override
  public void line(LineSettings s) throws IOException {
    SerialSettings current = line.settings();
    SerialSettings next = SerialLines.merge(current, s);
    line.apply(next);
    if (s.has(LineSettings.DTR)) {
      line.setDtr(s.dtr());
    }
    if (s.has(LineSettings.RTS)) {
      line.setRts(s.rts());
    }
    if (s.has(LineSettings.BREAK) && s.breakMillis() > 0) {
      try {
        line.sendBreak(Duration.ofMillis(s.breakMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted during BREAK", e);
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      busy.set(false);
    }
  }
}
