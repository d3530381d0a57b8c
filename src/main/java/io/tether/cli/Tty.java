package io.tether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The local terminal in raw mode while {@code tether connect} runs (keys reach the device as typed,
 * Ctrl-C included), through {@code stty} on /dev/tty: Linux and macOS; elsewhere, or when stdin is
 * not a terminal, input is passed through as read.
 */
final class Tty implements AutoCloseable {
  private final String saved;

  private Tty(String saved) {
    this.saved = saved;
  }

  /** Raw mode if stdin and stdout are a terminal; a no-op otherwise. */
  static Tty raw() {
    if (System.console() == null) {
      return new Tty(null);
    }
    try {
      String saved = stty("-g").strip();
      stty("raw", "-echo");
      Tty tty = new Tty(saved);
      Runtime.getRuntime().addShutdownHook(new Thread(tty::close, "tty-restore"));
      return tty;
    } catch (IOException e) {
      return new Tty(null); // no stty here: the terminal stays as it is
    }
  }

  boolean isRaw() {
    return saved != null;
  }

  @Override
  public void close() {
    if (saved != null) {
      try {
        stty(saved);
      } catch (IOException e) {
        // the terminal stays raw: `stty sane` repairs it
      }
    }
  }

  static String stty(String... args) throws IOException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "stty";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("stty " + String.join(" ", args) + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    return out;
  }
}
