package io.tether.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command-line program as a user runs it in a terminal: {@code script} gives it a PTY (so it can
 * go raw and read keys one by one) of {@value #COLS} by {@value #ROWS} (a size the test can change
 * as a user resizes the window), what the test writes is typed, and everything it prints (stdout
 * and stderr share the terminal) is kept as the screen.
 */
public final class TerminalProgram implements AutoCloseable {
  /** The terminal's size at start. */
  public static final int COLS = 120;

  public static final int ROWS = 40;

  private final String name;
  private final Process process;
  private final OutputStream keyboard;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final Thread reader;
  private final java.nio.file.Path ttyName;

  private TerminalProgram(String name, Process process, java.nio.file.Path ttyName) {
    this.name = name;
    this.process = process;
    this.ttyName = ttyName;
    this.keyboard = process.getOutputStream();
    InputStream in = process.getInputStream();
    reader =
        new Thread(
            () -> {
              byte[] buf = new byte[4096];
              try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                  synchronized (screen) {
                    screen.write(buf, 0, n);
                    screen.notifyAll();
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            name + "-screen");
    reader.setDaemon(true);
    reader.start();
  }

  /** Runs {@code command} (its words, quoted for the shell here) in a terminal of its own. */
  public static TerminalProgram start(List<String> command, Map<String, String> env)
      throws IOException {
    String line = String.join(" ", command.stream().map(TerminalProgram::quote).toList());
    java.nio.file.Path tty = java.nio.file.Files.createTempFile("tether-tty", ".name");
    tty.toFile().deleteOnExit();
    String sized =
        "stty cols " + COLS + " rows " + ROWS + "; tty > " + quote(tty.toString()) + "; exec ";
    ProcessBuilder b = new ProcessBuilder("script", "-qefc", sized + line, "/dev/null");
    b.environment().putAll(env);
    return new TerminalProgram(command.get(0), b.redirectErrorStream(true).start(), tty);
  }

  /**
   * Resizes the terminal as a user resizing the window: the program gets SIGWINCH and reads the new
   * size.
   */
  public void resize(int cols, int rows) throws IOException, InterruptedException {
    String tty = java.nio.file.Files.readString(ttyName).strip();
    Process p =
        new ProcessBuilder("stty", "-F", tty, "cols", "" + cols, "rows", "" + rows)
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          "stty -F " + tty + " failed: " + new String(p.getInputStream().readAllBytes()));
    }
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** Types {@code text} (the terminal passes it on as bytes when the program made it raw). */
  public void type(String text) throws IOException {
    keyboard.write(text.getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  public String screen() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until the screen shows {@code text}; fails with what it shows. */
  public void awaitScreen(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (screen) {
      while (!screen.toString(StandardCharsets.UTF_8).contains(text)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              name
                  + " did not show '"
                  + text
                  + "' within "
                  + timeout.toMillis()
                  + " ms: "
                  + screen());
        }
        screen.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Waits for the program to end and answers its exit status; fails with the screen if not. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          name + " still runs after " + timeout.toMillis() + " ms; screen: " + screen());
    }
    reader.join(2000);
    return process.exitValue();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }
}
