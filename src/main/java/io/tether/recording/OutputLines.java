package io.tether.recording;

import java.time.Instant;

/**
 * Turns a device's output into the lines a reader sees, each with the time its first character was
 * read: decoded with the device's encoding, escape sequences removed, a lone CR (a redrawn line)
 * and stray controls dropped, backspace applied. The console log's reader and rules use it.
 */
public final class OutputLines {
  /** Where finished lines go. */
  public interface Sink {
    void line(Instant at, String text);
  }

  private final StreamDecoder decoder;
  private final EscapeStripper stripper = new EscapeStripper();
  private final StringBuilder visible = new StringBuilder();
  private final StringBuilder line = new StringBuilder();
  private final int maxChars;
  private Instant lineAt;

  /**
   * @param maxChars a line longer than this is broken in two (a device that never sends a newline
   *     cannot make the reader hold more)
   */
  public OutputLines(String encoding, int maxChars) {
    this.decoder = StreamDecoder.of(encoding);
    this.maxChars = maxChars;
  }

  /** Feeds bytes read at {@code at}; every line they finish goes to {@code sink}. */
  public void feed(byte[] b, int off, int len, Instant at, Sink sink) {
    text(decoder.decode(b, off, len), at, sink);
  }

  /** Bytes were lost here: what was held is ended as a line of its own, and parsing restarts. */
  public void gap(Sink sink) {
    finish(sink);
    stripper.reset();
  }

  /** Ends the stream: an unfinished character becomes U+FFFD, the last partial line goes out. */
  public void finish(Sink sink) {
    text(decoder.flush(), lineAt, sink);
    if (!line.isEmpty()) {
      endLine(sink);
    }
  }

  private void text(String text, Instant at, Sink sink) {
    visible.setLength(0);
    stripper.feed(text, visible);
    for (int i = 0; i < visible.length(); i++) {
      char c = visible.charAt(i);
      switch (c) {
        case '\n' -> {
          if (lineAt == null) {
            lineAt = at;
          }
          endLine(sink);
        }
        case '\b' -> {
          if (!line.isEmpty()) {
            line.setLength(line.length() - 1);
          }
        }
        case '\r', 0x7F -> {}
        default -> {
          if (line.length() >= maxChars) {
            endLine(sink);
          }
          if (lineAt == null) {
            lineAt = at;
          }
          line.append(c);
        }
      }
    }
  }

  private void endLine(Sink sink) {
    sink.line(lineAt, line.toString());
    line.setLength(0);
    lineAt = null;
  }
}
