package io.tether.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * An unmodified device server in TCP-client mode, played by {@code socat}: it dials the portal's
 * ingress port and pipes the connection to a PTY, whose other end is the "serial device" the test
 * reads and writes. Used by RawIngressIT and the browser test of legacy access
 * (LegacyAccessBrowserIT).
 */
public final class SocatDeviceServer implements AutoCloseable {
  private final Process socat;
  private final RandomAccessFile line;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final Thread reader;

  private SocatDeviceServer(Process socat, RandomAccessFile line) {
    this.socat = socat;
    this.line = line;
    this.reader = new Thread(this::read, "socat-device-server");
    reader.setDaemon(true);
    reader.start();
  }

  public static SocatDeviceServer dial(int port) throws IOException {
    Path dir = Files.createTempDirectory("tether-ds");
    Path tty = dir.resolve("ttyDS");
    Process socat =
        new ProcessBuilder(
                "socat",
                "pty,raw,echo=0,link=" + tty,
                "tcp:127.0.0.1:" + port + ",retry=20,interval=0.5")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Await.until("socat's PTY " + tty, Duration.ofSeconds(10), () -> Files.exists(tty));
    return new SocatDeviceServer(socat, new RandomAccessFile(tty.toFile(), "rw"));
  }

  private void read() {
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = line.read(buffer)) >= 0) {
        synchronized (received) {
          received.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // socat went away
    }
  }

  /** The device "prints" these bytes. */
  public void print(byte[] bytes) throws IOException {
    line.write(bytes);
  }

  /** Waits until the device received exactly {@code expected} (so far). */
  public void expect(byte[] expected, Duration timeout) {
    Await.until(
        "the device to receive " + new String(expected) + " (got " + new String(received()) + ")",
        timeout,
        () -> Arrays.equals(received(), expected));
  }

  public byte[] received() {
    synchronized (received) {
      return received.toByteArray();
    }
  }

  @Override
  public void close() {
    socat.destroy();
    try {
      line.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
