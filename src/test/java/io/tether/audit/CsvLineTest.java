package io.tether.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The CSV export never hands a spreadsheet a formula: a cell whose first non-whitespace character
 * is = + - @, or that starts with a tab or carriage return, is prefixed with a single quote.
 */
class CsvLineTest {

  /** The CSV cell the export writes for an entry whose actor is {@code actor}. */
  private static String actorCell(String actor) {
    AuditResource.Entry e =
        new AuditResource.Entry(
            1,
            Instant.parse("2026-12-01T00:00:00Z"),
            actor,
            "auth.login",
            "failed",
            "x",
            null,
            "198.51.100.1",
            null);
    String line = AuditResource.CsvLine.of(e);
    // id and at never hold a comma; the actor is the third cell
    String rest = line.substring(line.indexOf(',', line.indexOf(',') + 1) + 1);
    return rest.substring(0, rest.indexOf("\",") + 1);
  }

  @Test
  void neutralisesAFormulaEndingInANewline() {
    assertEquals(
        "\"'=HYPERLINK(\"\"https://evil.example\"\")\n\"",
        actorCell("=HYPERLINK(\"https://evil.example\")\n"));
  }

  @Test
  void neutralisesAFormulaAfterLeadingWhitespace() {
    assertEquals("\"' =1+1\"", actorCell(" =1+1"));
    assertEquals("\"'\n@SUM(A1)\"", actorCell("\n@SUM(A1)"));
  }

  @Test
  void neutralisesEveryFormulaStartCharacter() {
    for (String start : new String[] {"=", "+", "-", "@", "\t", "\r"}) {
      String value = start + "cmd|' /C calc'!A0";
      assertEquals(
          "\"'" + value.replace("\"", "\"\"") + "\"",
          actorCell(value),
          "a cell starting with " + start.codePointAt(0));
    }
  }

  @Test
  void leavesOrdinaryValuesAlone() {
    assertEquals("\"alice\"", actorCell("alice"));
    assertEquals("\"a=b\"", actorCell("a=b"));
  }
}
