package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/api.md's close-code table lists exactly the codes and labels of {@link CloseCode}. */
class CloseCodeDocsTest {
  private static final Path API_DOC = Path.of("docs/api.md");
  private static final String START = "<!-- close-codes:";
  private static final String END = "<!-- /close-codes -->";

  /** A table row: the code in backticks, then the label in backticks or words for a varying one. */
  private static final Pattern ROW =
      Pattern.compile("^\\| `(\\d{4})` \\| (`([a-z-]+)`|[^|`]+) \\|");

  @Test
  void theApiDocsCloseCodeTableListsExactlyTheCloseCodes() throws IOException {
    List<String> documented = documentedCodes();
    List<String> declared =
        Arrays.stream(CloseCode.values()).map(c -> c.code() + " " + c.label()).toList();

    assertFalse(documented.isEmpty(), "docs/api.md has no close-code table between its markers");
    assertEquals(declared, documented, "docs/api.md's close codes, in the enum's order");
  }

  /** Each row as {@code code label}, label {@code null} where the docs describe a varying one. */
  private static List<String> documentedCodes() throws IOException {
    String doc = Files.readString(API_DOC);
    int start = doc.indexOf(START);
    int end = doc.indexOf(END);
    if (start < 0 || end < start) {
      return List.of();
    }
    List<String> rows = new ArrayList<>();
    for (String line : doc.substring(start, end).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.add(m.group(1) + " " + m.group(3));
      }
    }
    return rows;
  }
}
