package io.tether.boot;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** One-line log output for the few steps that run before Quarkus' logging is up. */
public final class BootLog {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  private BootLog() {}

  public static void info(String message) {
    System.out.println(line("INFO ", message));
  }

  /** A start-stopping error: one line on stderr, in the same shape as the log. */
  public static void fatal(String message) {
    System.err.println(line("ERROR", message));
  }

  private static String line(String level, String message) {
    return TIME.format(LocalDateTime.now()) + " " + level + " [io.tether.boot] " + message;
  }
}
