package io.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV as spreadsheets and editors write it is read cell for cell, with each record's line. */
class CsvReaderTest {

  private static List<List<String>> cells(String text) throws CsvReader.Malformed {
    return CsvReader.read(text).stream().map(CsvReader.Record::cells).toList();
  }

  @Test
  void readsPlainRecordsWithEmptyCells() throws Exception {
    assertEquals(
        List.of(List.of("name", "group", "tags"), List.of("a", "", "x y"), List.of("b", "g", "")),
        cells("name,group,tags\na,,x y\nb,g,\n"));
  }

  @Test
  void quotedCellsHoldCommasQuotesAndLineBreaks() throws Exception {
    assertEquals(
        List.of(List.of("a", "one, two", "say \"hi\"", "line 1\r\nline 2"), List.of("b")),
        cells("a,\"one, two\",\"say \"\"hi\"\"\",\"line 1\r\nline 2\"\r\nb"));
  }

  @Test
  void aRecordAfterAMultiLineCellStartsOnItsOwnLine() throws Exception {
    List<CsvReader.Record> records = CsvReader.read("h\n\"x\ny\nz\"\nnext\n");
    assertEquals(List.of(1, 2, 5), records.stream().map(CsvReader.Record::line).toList());
  }

  @Test
  void crlfLfAndCrEndRecordsAlike() throws Exception {
    List<List<String>> expected = List.of(List.of("a", "b"), List.of("c", "d"));
    assertEquals(expected, cells("a,b\r\nc,d\r\n"));
    assertEquals(expected, cells("a,b\nc,d"));
    assertEquals(expected, cells("a,b\rc,d\r"));
  }

  @Test
  void emptyLinesAreNoRecordsButCountAsLines() throws Exception {
    List<CsvReader.Record> records = CsvReader.read("h\r\n\r\n\nrow\n\n");
    assertEquals(List.of(List.of("h"), List.of("row")), cells("h\r\n\r\n\nrow\n\n"));
    assertEquals(4, records.get(1).line());
  }

  @Test
  void aLineOfCommasIsABlankRecord() throws Exception {
    assertTrue(CsvReader.read(",,\n").get(0).blank());
  }

  @Test
  void aByteOrderMarkIsSkipped() throws Exception {
    byte[] bytes = "\uFEFFname,group\nä,g\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        List.of(List.of("name", "group"), List.of("ä", "g")),
        CsvReader.read(bytes).stream().map(CsvReader.Record::cells).toList());
  }

  @Test
  void rejectsBytesThatAreNotUtf8() {
    byte[] latin1 = "name\nM\u00fcller\n".getBytes(StandardCharsets.ISO_8859_1);
    CsvReader.Malformed e = assertThrows(CsvReader.Malformed.class, () -> CsvReader.read(latin1));
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }

  @Test
  void rejectsAnUnclosedQuoteNamingTheLineItOpensOn() {
    CsvReader.Malformed e =
        assertThrows(CsvReader.Malformed.class, () -> CsvReader.read("h\nok\n\"open,\nx\n"));
    assertEquals(3, e.line());
  }

  @Test
  void rejectsACharacterAfterAClosingQuote() {
    assertEquals(
        2, assertThrows(CsvReader.Malformed.class, () -> CsvReader.read("h\n\"a\"b\n")).line());
  }

  @Test
  void rejectsAQuoteInsideAnUnquotedCell() {
    assertThrows(CsvReader.Malformed.class, () -> CsvReader.read("h\nab\"c\n"));
  }

  @Test
  void rejectsNul() {
    assertThrows(CsvReader.Malformed.class, () -> CsvReader.read("h\na\u0000b\n"));
  }

  @Test
  void emptyTextHasNoRecords() throws Exception {
    assertEquals(List.of(), cells(""));
    assertEquals(List.of(), cells("\uFEFF\r\n"));
  }
}
