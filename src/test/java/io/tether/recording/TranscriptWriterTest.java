package io.tether.recording;

import static io.tether.recording.RecordingFormatTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.recording.RecordingFormat.Event;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The text transcript: what a reader should see of a session, and nothing of the terminal codes.
 */
class TranscriptWriterTest {
  @Test
  void removesCsiSequences() throws IOException {
    assertEquals(
        "bold red\n", output("\u001b[1mbold\u001b[0m \u001b[38;5;196mred\u001b[?25h\u001b[2J\n"));
  }

  @Test
  void removesOscEndedByBel() throws IOException {
    assertEquals("$ \n", output("\u001b]0;user@host: ~\u0007$ \n"));
  }

  @Test
  void removesOscEndedByStringTerminator() throws IOException {
    assertEquals("link\n", output("\u001b]8;;https://example.com\u001b\\link\u001b]8;;\u001b\\\n"));
  }

  @Test
  void removesDcsSosPmAndApcStrings() throws IOException {
    assertEquals(
        "abcde\n",
        output(
            "a\u001bP1$r0m\u0007still dcs\u001b\\b\u001bXsos\u001b\\c\u001b^pm\u001b\\d\u001b_apc\u001b\\e\n"));
  }

  @Test
  void removesCharsetDesignationsAndTwoCharacterSequences() throws IOException {
    assertEquals("ab cd\n", output("\u001b(Ba\u001b)0b \u001b7c\u001b8\u001b=d\u001b>\u001bc\n"));
  }

  @Test
  void canAndSubAbortASequence() throws IOException {
    assertEquals("xy\n", output("\u001b[12\u0018x\u001b]0;t\u001ay\n"));
  }

  @Test
  void removesEightBitControlSequencesInLatin1() throws IOException {
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "latin-1", false);
    t.accept(
        Event.output(
            0,
            new byte[] {
              'a',
              (byte) 0x9B,
              '3',
              '1',
              'm',
              'b',
              (byte) 0x9D,
              '0',
              ';',
              't',
              (byte) 0x9C,
              (byte) 0xE9,
              '\n'
            }));
    t.finish();
    assertEquals("abé\n", out.toString());
  }

  @Test
  void crLfBecomesLfAndALoneCrIsDropped() throws IOException {
    assertEquals("one\ntwo\n10%20%done\n", output("one\r\ntwo\r\n10%\r20%\rdone\r\n"));
  }

  @Test
  void backspaceRemovesThePreviousCharacterOnTheLine() throws IOException {
    assertEquals("pass\nword\n", output("pasx\bs\nx\b\bword\n"));
  }

  @Test
  void backspaceRemovesAWholeEmoji() throws IOException {
    assertEquals("ok\n", output("ok😀\b\n"));
  }

  @Test
  void dropsOtherControlsButKeepsTabsAndNewlines() throws IOException {
    assertEquals("a\tb\n\nc\n", output("a\u0007\tb\u0000\n\u000e\n\u000fc\u007f\n"));
  }

  @Test
  void keepsThePartialLastLine() throws IOException {
    assertEquals("login: \n", output("\u001b[Hlogin: "));
  }

  @Test
  void stripsSequencesSplitAtEveryPoint() throws IOException {
    byte[] all =
        bytes("a\u001b[38;5;1mé\u001b]0;tïtle\u001b\\b\u001bP+q\u001b\\c\u001b(B€\r\nd\u0007\n");
    for (int cut = 0; cut <= all.length; cut++) {
      StringWriter out = new StringWriter();
      TranscriptWriter t = new TranscriptWriter(out, "utf-8", false);
      t.accept(Event.output(1, Arrays.copyOfRange(all, 0, cut)));
      t.accept(Event.output(2, Arrays.copyOfRange(all, cut, all.length)));
      t.finish();
      assertEquals("aébc€\nd\n", out.toString(), "split at " + cut);
    }
  }

  @Test
  void decodesWithTheDevicesEncoding() throws IOException {
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "cp437", false);
    t.accept(Event.output(0, new byte[] {(byte) 0xC9, (byte) 0xCD, (byte) 0xBB, '\r', '\n'}));
    t.finish();
    assertEquals("╔═╗\n", out.toString());
  }

  @Test
  void unfinishedCharacterAtTheEndBecomesAReplacementCharacter() throws IOException {
    assertEquals("x\uFFFD\n", output("x", (byte) 0xE2, (byte) 0x82));
  }

  @Test
  void typedLinesFollowTheLineTheyWereTypedOn() throws IOException {
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "utf-8", true);
    t.accept(Event.output(0, bytes("$ ")));
    // each key and its echo: a typo erased with backspace (DEL), a left arrow, then Enter
    String[][] keys = {{"l", "l"}, {"s", "s"}, {"x", "x"}, {"\u007f", "\b \b"}, {"\u001b[D", ""}};
    for (String[] key : keys) {
      t.accept(Event.input(1, bytes(key[0])));
      t.accept(Event.output(1, bytes(key[1])));
    }
    t.accept(Event.input(2, bytes("\r")));
    t.accept(Event.output(2, bytes("\r\nfile1\r\n$ ")));
    t.accept(Event.input(3, bytes("exit")));
    t.finish();
    assertEquals("$ ls\n> ls\nfile1\n$ \n> exit\n", out.toString());
  }

  @Test
  void typedLineWithoutOutputIsWrittenAtOnce() throws IOException {
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "utf-8", true);
    t.accept(Event.output(0, bytes("Password:\r\n")));
    t.accept(Event.input(1, bytes("hunter2\r\n")));
    t.accept(Event.output(2, bytes("ok\r\n")));
    t.finish();
    assertEquals("Password:\n> hunter2\nok\n", out.toString());
  }

  @Test
  void inputIsLeftOutUnlessIncluded() throws IOException {
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "utf-8", false);
    t.accept(Event.input(1, bytes("secret\r")));
    t.accept(Event.output(2, bytes("ok\n")));
    t.finish();
    assertEquals("ok\n", out.toString());
  }

  @Test
  void gapIsAMarkerLineAndResetsTheEscapeState() throws IOException {
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "utf-8", false);
    t.accept(Event.output(0, bytes("before\u001b]0;cut off title")));
    t.accept(Event.gap(1, 2048));
    t.accept(Event.output(2, bytes("after\n")));
    t.finish();
    assertEquals("before\n[gap: 2048 bytes not recorded]\nafter\n", out.toString());
  }

  @Test
  void aGapOfNoKnownLossSaysTheSessionMovedToAnotherNode() throws IOException {
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "utf-8", false);
    t.accept(Event.output(0, bytes("before\n")));
    t.accept(Event.gap(1, 0));
    t.accept(Event.output(2, bytes("after\n")));
    t.finish();
    assertEquals("before\n[gap: the session moved to another node]\nafter\n", out.toString());
  }

  @Test
  void aFileTransferShowsItsNoteInsteadOfItsBytes() throws IOException {
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "utf-8", false);
    t.accept(Event.output(0, bytes("$ sz file.bin\r\nrz\r")));
    t.accept(Event.transfer(1, bytes("**\u0018B00000000000000\r\n binary")));
    t.accept(Event.note(2, "ZMODEM: file.bin, 2.0 MiB, device → user"));
    t.accept(Event.transfer(3, bytes("more binary\n")));
    t.accept(Event.output(4, bytes("\r\n$ ")));
    t.finish();
    assertEquals(
        "$ sz file.bin\nrz\n[ZMODEM: file.bin, 2.0 MiB, device → user]\n\n$ \n", out.toString());
  }

  @Test
  void aLineLongerThanTheLimitIsBroken() throws IOException {
    String longLine = "x".repeat(TranscriptWriter.MAX_LINE_CHARS + 5);
    String text = output(longLine + "\n");
    assertEquals(
        "x".repeat(TranscriptWriter.MAX_LINE_CHARS) + "\nxxxxx\n", text, "broken, nothing lost");
  }

  private static String output(String text, byte... tail) throws IOException {
    byte[] head = bytes(text);
    byte[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    StringWriter out = new StringWriter();
    TranscriptWriter t = new TranscriptWriter(out, "utf-8", false);
    t.accept(Event.output(0, all));
    t.finish();
    return out.toString();
  }
}
