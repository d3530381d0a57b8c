package io.tether.agent;

import com.fazecast.jSerialComm.SerialPort;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A serial port the agent keeps open for its whole life, independently of channels: closing a port
 * drops DTR, which resets Arduino-class boards. After an unplug it is reopened as soon as the
 * device node is back. Reads and writes happen on the caller's thread.
 */
final class SerialLine implements AutoCloseable {
  /** How often a missing port is looked for again. */
  static final Duration REOPEN_INTERVAL = Duration.ofSeconds(2);

  /** Read timeout: bounds how long a reader blocks, so it notices close and credit changes. */
  static final int READ_TIMEOUT_MS = 100;

  /** Target status as reported to the portal. */
  enum Status {
    OK,
    MISSING,
    ERROR
  }

  private final String path;
  private final Consumer<Status> statusListener;
  private volatile SerialSettings settings;
  private volatile SerialPort port;
  private volatile boolean closed;
  private volatile Status status = Status.MISSING;

  SerialLine(String path, SerialSettings settings, Consumer<Status> statusListener) {
    this.path = path;
    this.settings = settings;
    this.statusListener = statusListener;
  }

  /**
   * Notices an unplug while no channel reads the port: the device node is gone, or the driver
   * reports the port broken. The port is then closed and reopened once it is back.
   */
  void checkPresent() {
    SerialPort p = port;
    if (p != null
        && (!java.nio.file.Files.exists(java.nio.file.Path.of(path)) || p.bytesAvailable() < 0)) {
      lost();
    }
  }

  /** Opens the port if it is not open; returns whether it is open now. */
  synchronized boolean ensureOpen() {
    if (closed) {
      return false;
    }
    if (port != null && port.isOpen()) {
      return true;
    }
    if (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
      report(Status.MISSING);
      return false;
    }
    SerialPort candidate;
    try {
      candidate = SerialPort.getCommPort(path);
    } catch (RuntimeException e) {
      // jSerialComm refuses a descriptor it cannot resolve (e.g. unplugged between the checks)
      report(Status.MISSING);
      return false;
    }
    settings.applyTo(candidate);
    candidate.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MS, 0);
    if (!candidate.openPort()) {
      report(
          java.nio.file.Files.exists(java.nio.file.Path.of(path)) ? Status.ERROR : Status.MISSING);
      return false;
    }
    port = candidate;
    report(Status.OK);
    return true;
  }

  /**
   * Reads what is available (waiting at most the read timeout): the count, 0 when nothing came, or
   * -1 when the port is gone (it will be reopened by {@link #ensureOpen()}).
   */
  int read(byte[] buffer, int length) {
    SerialPort p = port;
    if (p == null || !p.isOpen()) {
      return -1;
    }
    int n = p.readBytes(buffer, length);
    if (n < 0) {
      lost();
    }
    return n;
  }

  /** Writes all bytes, blocking until the driver took them; false when the port is gone. */
  boolean write(byte[] buffer, int offset, int length) {
    SerialPort p = port;
    int written = 0;
    while (p != null && p.isOpen() && written < length) {
      int n = p.writeBytes(buffer, length - written, offset + written);
      if (n < 0) {
        lost();
        return false;
      }
      written += n;
    }
    return written == length;
  }

  synchronized void apply(SerialSettings next) {
    settings = next;
    if (port != null && port.isOpen()) {
      next.applyTo(port);
    }
  }

  SerialSettings settings() {
    return settings;
  }

  void setDtr(boolean on) {
    SerialPort p = port;
    if (p != null) {
      if (on) {
        p.setDTR();
      } else {
        p.clearDTR();
      }
    }
  }

  void setRts(boolean on) {
    SerialPort p = port;
    if (p != null) {
      if (on) {
        p.setRTS();
      } else {
        p.clearRTS();
      }
    }
  }

  /** Holds the line in BREAK for the given time (blocking the caller). */
  void sendBreak(Duration duration) throws InterruptedException {
    SerialPort p = port;
    if (p != null && p.setBreak()) {
      try {
        Thread.sleep(duration.toMillis()); // the break length is the point, not a wait for an event
      } finally {
        p.clearBreak();
      }
    }
  }

  void reportError() {
    report(Status.ERROR);
  }

  Status status() {
    return status;
  }

  private synchronized void lost() {
    if (port != null) {
      port.closePort();
      port = null;
    }
    report(Status.MISSING);
  }

  private void report(Status next) {
    if (next != status) {
      status = next;
      statusListener.accept(next);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (port != null) {
      port.closePort();
      port = null;
    }
  }
}
