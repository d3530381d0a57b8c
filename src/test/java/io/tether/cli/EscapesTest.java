package io.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscapesTest {
  private final Escapes escapes = new Escapes();
  private final List<Escapes.Action> actions = new ArrayList<>();

  private String feed(String typed) {
    byte[] b = typed.getBytes(StandardCharsets.US_ASCII);
    return new String(escapes.feed(b, b.length, actions::add), StandardCharsets.US_ASCII);
  }

  @Test
  void aTildeAfterEnterStartsAnEscapeAsInSsh() {
    assertEquals("ls\r", feed("ls\r~."));
    assertEquals(List.of(Escapes.Action.LEAVE), actions);
  }

  @Test
  void aTildeInsideALineIsSentAsTyped() {
    assertEquals("cd ~/x\r", feed("cd ~/x\r"));
    assertEquals(List.of(), actions);
  }

  @Test
  void twoTildesAtALineStartSendOneAndAnEscapeEndsTheLineStart() {
    assertEquals("~", feed("~~"));
    assertEquals("~T", feed("~T"), "after an escape the line has begun, as in ssh");
    assertEquals(List.of(), actions);
    assertEquals("\r", feed("\r~?"));
    assertEquals(List.of(Escapes.Action.HELP), actions);
  }

  @Test
  void escapesWorkAtTheStartOfEachLineAndAnUnknownOneSendsBoth() {
    assertEquals("\r\r~x", feed("~B\r~T\r~x"));
    assertEquals(List.of(Escapes.Action.BREAK, Escapes.Action.TAKE_OVER), actions);
  }

  @Test
  void anEscapeSplitAcrossReadsStillWorks() {
    assertEquals("a\r", feed("a\r~"));
    assertEquals("", feed("."));
    assertEquals(List.of(Escapes.Action.LEAVE), actions);
  }
}
