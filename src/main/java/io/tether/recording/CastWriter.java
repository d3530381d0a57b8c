package io.tether.recording;

import io.tether.recording.RecordingFormat.Event;
import io.tether.recording.RecordingFormat.Kind;
import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/** Writes a recording as asciicast v2, one line per event, as the events arrive. */
public final class CastWriter {
  // https://docs.asciinema.org/manual/asciicast/v2/: a header object on the first line, then one
  // [seconds, code, text] array per line; "o" output, "i" input, "m" marker, "r" resize.

  private final Writer out;
  private final boolean includeInput;
  private final StreamDecoder output;
  private final StreamDecoder input;
  private long lastMicros;
  private boolean started;

  /**
   * @param encoding the device's encoding, for the output ({@link StreamDecoder#of})
   * @param includeInput whether INPUT events become {@code "i"} events; they are dropped otherwise
   */
  public CastWriter(Writer out, String encoding, boolean includeInput) {
    this.out = Objects.requireNonNull(out, "out");
    this.includeInput = includeInput;
    this.output = StreamDecoder.of(encoding);
    this.input = new Utf8StreamDecoder(); // the browser sends keystrokes as UTF-8
  }

  /** The header line; {@code title} may be null (then it is left out). */
  public void header(int width, int height, long startEpochSeconds, String title)
      throws IOException {
    if (started) {
      throw new IllegalStateException("the header is written once, first");
    }
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("terminal size " + width + "x" + height);
    }
    started = true;
    out.write("{\"version\": 2, \"width\": " + width + ", \"height\": " + height);
    out.write(", \"timestamp\": " + startEpochSeconds);
    if (title != null) {
      out.write(", \"title\": ");
      JsonStrings.write(out, title);
    }
    out.write("}\n");
  }

  public void accept(Event e) throws IOException {
    if (!started) {
      throw new IllegalStateException("write the header first");
    }
    if (e.kind() == Kind.INPUT && !includeInput) {
      return; // keystrokes (typed passwords too) stay out, even their timing
    }
    lastMicros = Math.max(lastMicros, e.atMicros());
    switch (e.kind()) {
      case OUTPUT -> event(e.atMicros(), "o", output.decode(e.data(), 0, e.data().length));
      case INPUT -> event(e.atMicros(), "i", input.decode(e.data(), 0, e.data().length));
      case GAP -> {
        // bytes are missing: a character cut by the gap ends here (U+FFFD) instead of
        // swallowing the first bytes after the gap
        event(e.atMicros(), "o", output.flush());
        event(e.atMicros(), "i", input.flush());
        event(e.atMicros(), "m", "gap: " + RecordingFormat.Event.gapNote(e.gapBytes()));
      }
      case NOTE -> {
        event(e.atMicros(), "o", output.flush());
        event(e.atMicros(), "o", "\r\n[" + e.text() + "]\r\n"); // shown where the bytes were
      }
      case TRANSFER -> {} // a file's bytes are no terminal output
      case RESIZE -> event(e.atMicros(), "r", e.text());
    }
  }

  /** Ends the cast: an unfinished character at the end of the output becomes a last U+FFFD. */
  public void finish() throws IOException {
    event(lastMicros, "o", output.flush());
    event(lastMicros, "i", input.flush());
    out.flush();
  }

  private void event(long atMicros, String code, String text) throws IOException {
    if (text.isEmpty()) {
      return; // a chunk that only began a character: nothing to show yet
    }
    out.write('[');
    out.write(seconds(atMicros));
    out.write(", \"");
    out.write(code);
    out.write("\", ");
    JsonStrings.write(out, text);
    out.write("]\n");
  }

  /** Microseconds as seconds with six decimals, without floating point rounding. */
  static String seconds(long micros) {
    String fraction = Long.toString(1_000_000 + micros % 1_000_000).substring(1);
    return micros / 1_000_000 + "." + fraction;
  }
}
