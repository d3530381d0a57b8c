package io.tether.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pair of linked pseudo-terminals from {@code socat}, standing in for a serial line: the device
 * side is opened by the agent as its serial port, the test reads and writes the other end.
 */
public final class SocatPty implements AutoCloseable {
  private static final Pattern PTY = Pattern.compile("PTY is (\\S+)");

  private final Process socat;
  private final String deviceSide;
  private final String testSide;

  private SocatPty(Process socat, String deviceSide, String testSide) {
    this.socat = socat;
    this.deviceSide = deviceSide;
    this.testSide = testSide;
  }

  public static SocatPty open() {
    return open(2, null, "pty,raw,echo=0", "pty,raw,echo=0");
  }

  /**
   * A PTY whose other end is an interactive {@code bash} (its own PTY, prompt {@code "$ "}) running
   * in {@code dir}: a device with a real shell, for lrzsz's {@code sz} and {@code rz}. There is no
   * test side: the test watches the shell's files.
   */
  public static SocatPty shell(java.nio.file.Path dir) {
    return open(
        1,
        dir,
        "pty,raw,echo=0",
        "SYSTEM:exec bash --noprofile --norc -i,pty,setsid,ctty,stderr,sane");
  }

  private static SocatPty open(int ptys, java.nio.file.Path dir, String... addresses) {
    Process socat;
    try {
      List<String> command = new ArrayList<>(List.of("socat", "-d", "-d"));
      command.addAll(List.of(addresses));
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      if (dir != null) {
        builder.directory(dir.toFile());
        builder.environment().put("PS1", "$ ");
        builder.environment().put("TERM", "dumb");
      }
      socat = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start socat (apt-get install socat)", e);
    }
    // A thread of its own, not the common pool: on 2 cores that pool has one worker, and a
    // blocked task elsewhere would leave this read waiting in its queue.
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              List<String> found = new ArrayList<>();
              try {
                BufferedReader err =
                    new BufferedReader(
                        new InputStreamReader(socat.getErrorStream(), StandardCharsets.UTF_8));
                String line;
                while (found.size() < ptys && (line = err.readLine()) != null) {
                  Matcher m = PTY.matcher(line);
                  if (m.find()) {
                    found.add(m.group(1));
                  }
                }
                names.complete(found);
                drain(err); // keep draining so socat never blocks on a full stderr pipe
              } catch (IOException e) {
                names.completeExceptionally(e);
              }
            },
            "socat-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      List<String> pair = names.get(10, TimeUnit.SECONDS);
      if (pair.size() < ptys) {
        throw new IllegalStateException("socat did not create its PTYs");
      }
      return new SocatPty(socat, pair.get(0), ptys > 1 ? pair.get(1) : null);
    } catch (Exception e) {
      socat.destroyForcibly(); // never leave an orphaned socat behind
      throw new IllegalStateException("socat did not report its PTY pair: " + e, e);
    }
  }

  private static void drain(BufferedReader reader) {
    try {
      while (reader.readLine() != null) {
        // discard
      }
    } catch (IOException ignored) {
      // socat ended
    }
  }

  /** The path the device side (agent) opens, e.g. /dev/pts/5. */
  public String devicePath() {
    return deviceSide;
  }

  /** The other end, held by the test. */
  public String testPath() {
    return testSide;
  }

  /** Opens the test's end for reading and writing raw bytes. */
  public RandomAccessFile openTestSide() {
    try {
      return new RandomAccessFile(testSide, "rw");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens the device's end (what the agent would open). */
  public RandomAccessFile openDeviceSide() {
    try {
      return new RandomAccessFile(deviceSide, "rw");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    socat.destroy();
    try {
      if (!socat.waitFor(5, TimeUnit.SECONDS)) {
        socat.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
