package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where the boundary tracker calls a stream safe: one test per kind of sequence. */
class VtBoundaryTest {
  @Test
  void plainTextIsSafeEverywhere() {
    assertEquals("SSSSSS", safePoints("ab\r\ncd"));
  }

  @Test
  void csiIsUnsafeUntilItsFinalByte() {
    assertEquals("S......SS", safePoints("a\u001b[1;31mb"));
  }

  @Test
  void c0ControlsInsideCsiDoNotEndIt() {
    assertEquals("....S", safePoints("\u001b[\n5m"));
  }

  @Test
  void oscEndsAtBelOrStringTerminator() {
    assertEquals(".....S......S", safePoints("\u001b]0;t\u0007\u001b]0;t\u001b\\"));
  }

  @Test
  void dcsEndsOnlyAtStringTerminator() {
    assertEquals("......S", safePoints("\u001bPq\u0007x\u001b\\"));
  }

  @Test
  void sosPmAndApcAreStringsToo() {
    assertEquals("...S...S...S", safePoints("\u001bX\u001b\\\u001b^\u001b\\\u001b_\u001b\\"));
  }

  @Test
  void charsetDesignationEndsAfterItsFinalByte() {
    assertEquals("..SS", safePoints("\u001b(Bx"));
  }

  @Test
  void twoByteEscapeSequencesEndAtTheSecondByte() {
    assertEquals(".S.S", safePoints("\u001b7\u001bc"));
  }

  @Test
  void canAndSubAbortASequence() {
    assertEquals("..S...S", safePoints("\u001b[\u0018\u001b]0\u001a"));
  }

  @Test
  void utf8CharacterIsUnsafeUntilItsLastByte() {
    assertEquals(".S..S...S", safePoints("é€😀"));
  }

  @Test
  void aNewLeadByteOrAsciiEndsABrokenCharacter() {
    byte[] broken = {(byte) 0xE2, (byte) 0x82, 'a', (byte) 0xE2, (byte) 0xC3, (byte) 0xA9};
    assertEquals("..S..S", safePoints(broken));
  }

  private static String safePoints(String text) {
    return safePoints(text.getBytes(StandardCharsets.UTF_8));
  }

  /** One character per byte: S when the stream is at a safe point right after that byte. */
  private static String safePoints(byte[] bytes) {
    VtBoundary boundary = new VtBoundary();
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      boundary.feed(b);
      out.append(boundary.atSafePoint() ? 'S' : '.');
    }
    return out.toString();
  }
}
