package io.tether.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as RFC 4180 has it, from UTF-8 bytes: a leading byte-order mark is skipped, records end
 * in CRLF, LF or CR, a quoted cell may hold commas, quotes (doubled) and line breaks, and an empty
 * line is no record. Pure: no Quarkus, no Jakarta.
 */
public final class CsvReader {
  private static final char BOM = '\uFEFF';

  /** One record and the line of the text it starts on (1-based), to point a user at it. */
  public record Record(int line, List<String> cells) {
    /** Whether every cell is empty or blank (a line of commas, as spreadsheets write). */
    public boolean blank() {
      return cells.stream().allMatch(String::isBlank);
    }
  }

  /** Text that is not CSV, or not UTF-8, with the line where it went wrong. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    Malformed(int line, String detail) {
      super(line > 0 ? "line " + line + ": " + detail : detail);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  private CsvReader() {}

  /** The records of UTF-8 {@code bytes}; refuses bytes that are not UTF-8 and NUL characters. */
  public static List<Record> read(byte[] bytes) throws Malformed {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed(0, "the file is not UTF-8 text: save it as CSV UTF-8");
    }
    return read(text);
  }

  /** The records of {@code text}. */
  public static List<Record> read(String text) throws Malformed {
    List<Record> records = new ArrayList<>();
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    boolean quoted = false; // inside a quoted cell
    boolean wasQuoted = false; // the current cell was quoted and its closing quote seen
    boolean any = false; // the current record has a character (an empty line is no record)
    int i = !text.isEmpty() && text.charAt(0) == BOM ? 1 : 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        throw new Malformed(line, "the file holds a NUL character");
      }
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
            wasQuoted = true;
          }
        } else {
          if (c == '\n' || (c == '\r' && !(i + 1 < text.length() && text.charAt(i + 1) == '\n'))) {
            line++;
          }
          cell.append(c);
        }
        continue;
      }
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any) {
          cells.add(cell.toString());
          records.add(new Record(recordLine, List.copyOf(cells)));
        }
        cells.clear();
        cell.setLength(0);
        wasQuoted = false;
        any = false;
        line++;
        recordLine = line;
        continue;
      }
      any = true;
      if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
        wasQuoted = false;
      } else if (wasQuoted) {
        throw new Malformed(
            line, "a character after a cell's closing quote: double a quote inside");
      } else if (c == '"' && cell.isEmpty()) {
        quoted = true;
      } else if (c == '"') {
        throw new Malformed(line, "a quote inside an unquoted cell: quote the whole cell");
      } else {
        cell.append(c);
      }
    }
    if (quoted) {
      throw new Malformed(recordLine, "a quoted cell is not closed");
    }
    if (any) {
      cells.add(cell.toString());
      records.add(new Record(recordLine, List.copyOf(cells)));
    }
    return records;
  }
}
