package io.tether.cluster;

import io.tether.session.TerminalClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Types a numbered line on each of some terminals at a fixed rate from start until closed, keeping
 * what each was sent: for terminals that must keep echoing throughout an event however short it is.
 */
final class TypingThroughout implements AutoCloseable {
  /** Time for a line being typed when closed to be sent. */
  private static final Duration FINISHING = Duration.ofSeconds(10);

  private final List<TerminalClient> terminals;
  private final String what;
  private final List<ByteArrayOutputStream> typed = new ArrayList<>();
  private final ScheduledExecutorService typist = Executors.newSingleThreadScheduledExecutor();
  private int lines;

  private TypingThroughout(List<TerminalClient> terminals, String what) {
    this.terminals = terminals;
    this.what = what;
    terminals.forEach(t -> typed.add(new ByteArrayOutputStream()));
  }

  /** Starts typing at once, a line on each terminal every {@code period}. */
  static TypingThroughout start(List<TerminalClient> terminals, String what, Duration period) {
    TypingThroughout t = new TypingThroughout(terminals, what);
    t.typist.scheduleAtFixedRate(t::typeALine, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return t;
  }

  /** One line on each terminal; a terminal that fails to send stops the typing (the test sees). */
  private void typeALine() {
    lines++;
    for (int i = 0; i < terminals.size(); i++) {
      byte[] line =
          ("terminal " + (i + 1) + ", " + what + ", line " + lines + "\r")
              .getBytes(StandardCharsets.US_ASCII);
      terminals.get(i).type(line);
      typed.get(i).writeBytes(line);
    }
  }

  /** Stops typing; returns once the last line is sent. */
  @Override
  public void close() {
    typist.shutdown();
    try {
      if (!typist.awaitTermination(FINISHING.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("a line was still being typed after " + FINISHING);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Lines typed on each terminal (after close). */
  int lines() {
    return lines;
  }

  /** Everything terminal {@code i} was sent (after close). */
  byte[] typed(int i) {
    return typed.get(i).toByteArray();
  }
}
