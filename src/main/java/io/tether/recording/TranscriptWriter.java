package io.tether.recording;

import io.tether.recording.RecordingFormat.Event;
import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/** Writes a recording as a readable text transcript, without the terminal's escape sequences. */
public final class TranscriptWriter {
  // The decoded output without escape sequences or stray controls; when input is included, each
  // typed line as "> line" after the output line it was typed on (usually its echo); a gap as a
  // "[gap: N bytes not recorded]" line; a note of the portal's (a file transfer) as a "[note]"
  // line.

  /**
   * Longest line held before it is written: a device that never sends a newline (a progress bar
   * redrawn with CR) cannot make the transcript buffer more; a longer line is broken in two.
   */
  static final int MAX_LINE_CHARS = 64 * 1024;

  private final Writer out;
  private final boolean includeInput;
  private final StreamDecoder outputDecoder;
  private final StreamDecoder inputDecoder = new Utf8StreamDecoder(); // keystrokes are UTF-8
  private final EscapeStripper outputStripper = new EscapeStripper();
  private final EscapeStripper inputStripper = new EscapeStripper();
  private final StringBuilder visible = new StringBuilder();

  /** The output line being built; backspace can still change it. */
  private final StringBuilder line = new StringBuilder();

  /** The input line being typed. */
  private final StringBuilder typed = new StringBuilder();

  /** Typed lines that wait for the output line they were typed on (usually their echo) to end. */
  private final StringBuilder typedLines = new StringBuilder();

  private boolean lastInputWasCr;

  public TranscriptWriter(Writer out, String encoding, boolean includeInput) {
    this.out = Objects.requireNonNull(out, "out");
    this.includeInput = includeInput;
    this.outputDecoder = StreamDecoder.of(encoding);
  }

  public void accept(Event e) throws IOException {
    switch (e.kind()) {
      case OUTPUT -> output(outputDecoder.decode(e.data(), 0, e.data().length));
      case INPUT -> {
        if (includeInput) {
          input(inputDecoder.decode(e.data(), 0, e.data().length));
        }
      }
      case GAP -> {
        endStreams();
        outputStripper.reset(); // the end of a sequence cut by the gap is lost
        inputStripper.reset();
        lastInputWasCr = false;
        out.write("[gap: " + RecordingFormat.Event.gapNote(e.gapBytes()) + "]\n");
      }
      case NOTE -> {
        endStreams();
        out.write("[" + e.text() + "]\n");
      }
      case TRANSFER -> {} // a file's bytes are no text
      case RESIZE -> {} // a text has no size
    }
  }

  /** Writes what is still held: the last partial line, an unfinished character as U+FFFD. */
  public void finish() throws IOException {
    endStreams();
    out.flush();
  }

  private void endStreams() throws IOException {
    output(outputDecoder.flush());
    if (includeInput) {
      input(inputDecoder.flush());
      if (!typed.isEmpty()) {
        endTypedLine();
      }
    }
    if (!line.isEmpty()) {
      endLine();
    }
    out.write(typedLines.toString());
    typedLines.setLength(0);
  }

  private void output(String text) throws IOException {
    visible.setLength(0);
    outputStripper.feed(text, visible);
    for (int i = 0; i < visible.length(); i++) {
      char c = visible.charAt(i);
      switch (c) {
        case '\n' -> endLine();
        case '\b' -> eraseLast(line);
        case '\r', 0x7F -> {} // CR LF is a newline, a lone CR (redraw the line) is not shown
        default -> {
          if (line.length() >= MAX_LINE_CHARS) {
            endLine();
          }
          line.append(c);
        }
      }
    }
  }

  private void input(String text) throws IOException {
    visible.setLength(0);
    inputStripper.feed(text, visible); // arrow keys and other keys send escape sequences
    for (int i = 0; i < visible.length(); i++) {
      char c = visible.charAt(i);
      switch (c) {
        case '\r' -> endTypedLine();
        case '\n' -> {
          if (!lastInputWasCr) {
            endTypedLine();
          }
        }
        case '\b', 0x7F -> eraseLast(typed); // keyboards send DEL for backspace
        default -> {
          if (typed.length() >= MAX_LINE_CHARS) {
            endTypedLine();
          }
          typed.append(c);
        }
      }
      lastInputWasCr = c == '\r';
    }
  }

  private void endLine() throws IOException {
    line.append('\n');
    out.write(line.toString());
    line.setLength(0);
    out.write(typedLines.toString());
    typedLines.setLength(0);
  }

  private void endTypedLine() throws IOException {
    typedLines.append("> ").append(typed).append('\n');
    typed.setLength(0);
    if (line.isEmpty() || typedLines.length() >= MAX_LINE_CHARS) {
      if (!line.isEmpty()) {
        endLine();
      }
      out.write(typedLines.toString());
      typedLines.setLength(0);
    }
  }

  private static void eraseLast(StringBuilder s) {
    int n = s.length();
    if (n >= 2
        && Character.isLowSurrogate(s.charAt(n - 1))
        && Character.isHighSurrogate(s.charAt(n - 2))) {
      s.setLength(n - 2);
    } else if (n > 0) {
      s.setLength(n - 1);
    }
  }
}
