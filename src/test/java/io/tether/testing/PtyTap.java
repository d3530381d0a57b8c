package io.tether.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The test's end of a {@link SocatPty} serial line: what the agent writes to the device (the
 * terminal's keystrokes) is collected by a reader thread and checked byte-exact in order; what the
 * test writes is what the device "prints". A burst writes many megabytes from its own thread.
 */
public final class PtyTap implements AutoCloseable {
  private final RandomAccessFile in;
  private final RandomAccessFile out;
  private final Thread reader;
  private byte[] received = new byte[4096];
  private int length;
  private int cursor;
  private volatile boolean closed;

  private PtyTap(SocatPty pty) {
    this.in = pty.openTestSide();
    this.out = pty.openTestSide();
    this.reader = new Thread(this::read, "pty-tap-" + pty.testPath());
    reader.setDaemon(true);
    reader.start();
  }

  public static PtyTap open(SocatPty pty) {
    return new PtyTap(pty);
  }

  private void read() {
    byte[] buffer = new byte[64 * 1024];
    try {
      int n;
      while (!closed && (n = in.read(buffer)) >= 0) {
        synchronized (this) {
          if (length + n > received.length) {
            received = Arrays.copyOf(received, Math.max(received.length * 2, length + n));
          }
          System.arraycopy(buffer, 0, received, length, n);
          length += n;
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the PTY is gone (socat stopped): nothing more to read
    }
  }

  /**
   * Waits until the next {@code expected.length} bytes the device received are there and fails
   * unless they are exactly {@code expected}; they are consumed.
   */
  public synchronized void expect(byte[] expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (length - cursor < expected.length) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "the device received "
                + describe(Arrays.copyOfRange(received, cursor, length))
                + " within "
                + timeout.toMillis()
                + " ms, expected "
                + describe(expected));
      }
      wait(Math.max(1, left / 1_000_000));
    }
    byte[] actual = Arrays.copyOfRange(received, cursor, cursor + expected.length);
    if (!Arrays.equals(expected, actual)) {
      throw new AssertionError(
          "the device received "
              + describe(Arrays.copyOfRange(received, cursor, length))
              + ", expected "
              + describe(expected));
    }
    cursor += expected.length;
  }

  /** Bytes the device received that no expect() consumed yet. */
  public synchronized byte[] unread() {
    return Arrays.copyOfRange(received, cursor, length);
  }

  /** The device writes {@code bytes} (they travel to the terminal). */
  public void write(byte[] bytes) throws IOException {
    synchronized (out) {
      out.write(bytes);
    }
  }

  /** Writes {@code bytes} in two parts with a pause between, so they arrive as separate reads. */
  public void writeSplit(byte[] bytes, int at, Duration pause)
      throws IOException, InterruptedException {
    write(Arrays.copyOfRange(bytes, 0, at));
    Thread.sleep(pause.toMillis());
    write(Arrays.copyOfRange(bytes, at, bytes.length));
  }

  /**
   * Starts writing at least {@code bytes} of numbered 100-byte lines, then {@code marker}, from a
   * thread of its own (the write blocks whenever the terminal has paused the stream).
   */
  public Burst burst(long bytes, String marker) {
    return new Burst(bytes, marker);
  }

  public final class Burst {
    static final int LINE = 100;
    private final long lines;
    private final byte[] marker;
    private final AtomicLong written = new AtomicLong();
    private final long startedAt = System.nanoTime();
    private volatile long finishedAt;
    private volatile Throwable failure;
    private final Thread thread;

    private Burst(long bytes, String marker) {
      this.lines = (bytes + LINE - 1) / LINE;
      this.marker = marker.getBytes(StandardCharsets.UTF_8);
      this.thread = new Thread(this::run, "pty-burst");
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      byte[] chunk = new byte[LINE * 640]; // 64 000 bytes per write
      try {
        long line = 0;
        while (line < lines) {
          int n = 0;
          while (n < chunk.length && line < lines) {
            line(line++, chunk, n);
            n += LINE;
          }
          write(Arrays.copyOf(chunk, n));
          written.addAndGet(n);
        }
        write(marker);
        written.addAndGet(marker.length);
      } catch (Throwable e) {
        failure = e;
      } finally {
        finishedAt = System.nanoTime();
      }
    }

    /** "burst 00000042 abc…xyz\r\n": 100 bytes, printable, numbered. */
    private static void line(long number, byte[] into, int at) {
      byte[] head = String.format("burst %08d ", number).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(head, 0, into, at, head.length);
      for (int i = head.length; i < LINE - 2; i++) {
        into[at + i] = (byte) ('a' + (number + i) % 26);
      }
      into[at + LINE - 2] = '\r';
      into[at + LINE - 1] = '\n';
    }

    /** Every byte this burst writes, marker included. */
    public long total() {
      return lines * LINE + marker.length;
    }

    public long written() {
      return written.get();
    }

    public boolean running() {
      return finishedAt == 0;
    }

    public Throwable failure() {
      return failure;
    }

    /** Milliseconds from start to the last byte written (so far, while running). */
    public long millis() {
      long end = finishedAt == 0 ? System.nanoTime() : finishedAt;
      return (end - startedAt) / 1_000_000;
    }

    public void await(Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
    }
  }

  private static String describe(byte[] bytes) {
    String hex = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(bytes.length, 200));
    String text =
        new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8)
            .replaceAll("\\p{Cntrl}", "·");
    return bytes.length
        + " bytes ["
        + hex
        + (bytes.length > 200 ? " …" : "")
        + "] \""
        + text
        + "\"";
  }

  @Override
  public void close() {
    closed = true;
    for (RandomAccessFile f : new RandomAccessFile[] {out, in}) {
      try {
        f.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
