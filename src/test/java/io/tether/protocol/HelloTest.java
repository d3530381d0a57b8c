package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HELLO: what the portal accepts from an agent before anything else. */
class HelloTest {
  private static final Hello.Target CONSOLE =
      new Hello.Target("console", TargetKind.SERIAL, "USB console");
  private static final Hello.Target DS = new Hello.Target("ds", TargetKind.TCP, "Tibbo data port");

  @Test
  void roundTrips() throws Exception {
    Hello hello = new Hello(1, "1.2.3", "0b9e8d0c-agent", List.of(CONSOLE, DS));
    assertEquals(hello, Hello.decode(hello.encode()));
  }

  @Test
  void roundTripsWithoutTargetsAndWithUnicodeText() throws Exception {
    Hello none = new Hello(1, "", "x", List.of());
    assertEquals(none, Hello.decode(none.encode()));
    Hello unicode =
        new Hello(1, "1.0 – β", "ü", List.of(new Hello.Target("a.b-c_9", TargetKind.TCP, "⚡ 🔌")));
    assertEquals(unicode, Hello.decode(unicode.encode()));
  }

  @Test
  void roundTripsTheLargestHelloTheLimitsAllow() throws Exception {
    List<Hello.Target> targets = new ArrayList<>();
    for (int i = 0; i < ProtocolLimits.MAX_TARGETS; i++) {
      targets.add(new Hello.Target(name32(i), TargetKind.SERIAL, "d".repeat(200)));
    }
    Hello hello =
        new Hello(
            1,
            "v".repeat(ProtocolLimits.MAX_AGENT_VERSION),
            "i".repeat(Hello.MAX_INSTANCE_ID),
            targets);
    byte[] payload = hello.encode();
    assertTrue(payload.length <= ProtocolLimits.MAX_HELLO_BYTES, payload.length + " bytes");
    assertEquals(hello, Hello.decode(payload));
  }

  @Test
  void rejectsTruncatedHello() {
    byte[] full = new Hello(1, "1.0.0", "id", List.of(CONSOLE)).encode();
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThrows(ProtocolException.class, () -> Hello.decode(cut), n + " of " + full.length);
    }
  }

  @Test
  void rejectsHelloWithTrailingBytes() {
    byte[] full = new Hello(1, "1.0.0", "id", List.of(CONSOLE)).encode();
    byte[] longer = Arrays.copyOf(full, full.length + 1);
    ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(longer));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
  }

  @Test
  void rejectsTooManyTargets() {
    List<Hello.Target> targets = new ArrayList<>();
    for (int i = 0; i <= ProtocolLimits.MAX_TARGETS; i++) {
      targets.add(new Hello.Target("t" + i, TargetKind.TCP, ""));
    }
    byte[] payload = new Hello(1, "1", "id", targets).encode();
    ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(payload));
    assertEquals(TunnelCloseCode.LIMIT_EXCEEDED, e.closeCode());
  }

  @Test
  void rejectsInvalidTargetName() {
    for (String name : List.of("", "has space", "slash/", "ü", "a:b", "x\u0000")) {
      byte[] payload =
          new Hello(1, "1", "id", List.of(new Hello.Target(name, TargetKind.TCP, ""))).encode();
      assertThrows(ProtocolException.class, () -> Hello.decode(payload), "'" + name + "'");
    }
  }

  @Test
  void rejectsTargetNameLongerThan32Bytes() {
    byte[] payload = Hex.bytes("0001 0000 0001 69 0001 0021" + "61".repeat(33) + "02 0000");
    assertThrows(ProtocolException.class, () -> Hello.decode(payload));
  }

  @Test
  void rejectsDuplicateTargetName() {
    byte[] payload = new Hello(1, "1", "id", List.of(CONSOLE, CONSOLE)).encode();
    ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(payload));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
  }

  @Test
  void rejectsUnknownTargetKind() {
    for (String kind : List.of("00", "03", "ff")) {
      byte[] payload = Hex.bytes("0001 0000 0001 69 0001 0002 6473" + kind + "0000");
      assertThrows(ProtocolException.class, () -> Hello.decode(payload), "kind " + kind);
    }
  }

  @Test
  void rejectsBlankInstanceId() {
    for (String id : List.of("", "  ")) {
      byte[] payload = new Hello(1, "1", id, List.of()).encode();
      assertThrows(ProtocolException.class, () -> Hello.decode(payload), "'" + id + "'");
    }
  }

  @Test
  void rejectsInstanceIdLongerThanItsLimit() {
    byte[] tooLong = Hex.bytes("0001 0000 0081" + "69".repeat(Hello.MAX_INSTANCE_ID + 1) + "0000");
    assertThrows(ProtocolException.class, () -> Hello.decode(tooLong));
  }

  @Test
  void rejectsAgentVersionLongerThanMaxString() {
    int n = ProtocolLimits.MAX_STRING + 1;
    byte[] payload = Hex.bytes(String.format("0001 %04x", n) + "31".repeat(n) + "0001 69 0000");
    assertThrows(ProtocolException.class, () -> Hello.decode(payload));
  }

  @Test
  void rejectsHelloVersionWithControlCharacter() {
    for (String bad :
        List.of("1.0\u0000", "1.0\n[INFO] forged", "1\r", "\u007f", "1\u0085", "1\u2028")) {
      byte[] payload = new Hello(1, bad, "id", List.of()).encode();
      ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(payload));
      assertEquals(TunnelCloseCode.PROTOCOL_ERROR, e.closeCode(), e.getMessage());
      assertTrue(e.getMessage().contains("agent version"), e.getMessage());
    }
  }

  @Test
  void rejectsInstanceIdWithControlCharacter() {
    byte[] payload = new Hello(1, "1", "id\u0000x", List.of()).encode();
    ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(payload));
    assertTrue(e.getMessage().contains("instance id"), e.getMessage());
  }

  @Test
  void rejectsTargetDescriptionWithControlCharacter() {
    Hello.Target tab = new Hello.Target("console", TargetKind.SERIAL, "USB\tconsole");
    byte[] payload = new Hello(1, "1", "id", List.of(tab)).encode();
    ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(payload));
    assertTrue(e.getMessage().contains("description of console"), e.getMessage());
  }

  @Test
  void rejectsAgentVersionLongerThanItsColumn() {
    int n = ProtocolLimits.MAX_AGENT_VERSION + 1;
    byte[] payload = Hex.bytes(String.format("0001 %04x", n) + "31".repeat(n) + "0001 69 0000");
    ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(payload));
    assertEquals(TunnelCloseCode.PROTOCOL_ERROR, e.closeCode(), e.getMessage());
    assertEquals("HELLO: agent version of 65 bytes exceeds 64", e.getMessage());
  }

  @Test
  void acceptsAgentVersionAsLongAsItsColumn() throws Exception {
    Hello hello = new Hello(1, "1".repeat(ProtocolLimits.MAX_AGENT_VERSION), "id", List.of());
    assertEquals(hello, Hello.decode(hello.encode()));
  }

  @Test
  void rejectsHelloLargerThanLimit() {
    byte[] payload = new byte[ProtocolLimits.MAX_HELLO_BYTES + 1];
    payload[1] = 1;
    ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(payload));
    assertEquals(TunnelCloseCode.LIMIT_EXCEEDED, e.closeCode());
  }

  @Test
  void rejectsInvalidUtf8() {
    // agent version: a lone continuation byte, an overlong '/', an encoded surrogate
    for (String bad : List.of("0001 80", "0002 c0af", "0003 eda080")) {
      byte[] payload = Hex.bytes("0001" + bad + "0001 69 0000");
      ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(payload));
      assertTrue(e.getMessage().contains("UTF-8"), bad + ": " + e.getMessage());
    }
  }

  @Test
  void keepsTheVersionOfAParseableHelloForTheHandshakeToJudge() throws Exception {
    Hello v2 = new Hello(2, "2.0.0", "id", List.of(CONSOLE));
    assertEquals(2, Hello.decode(v2.encode()).version());
  }

  @Test
  void reportsUnsupportedVersionForAHelloOfAnotherLayout() {
    byte[] v2 = Hex.bytes("0002 ffff 0000");
    ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode(v2));
    assertEquals(TunnelCloseCode.UNSUPPORTED_VERSION, e.closeCode());
    assertEquals("agent speaks v2, portal v1: upgrade the portal", e.getMessage());
  }

  @Test
  void validTargetNames() {
    assertTrue(Hello.validTargetName("console"));
    assertTrue(Hello.validTargetName("A-Z_a.z-09"));
    assertTrue(Hello.validTargetName("x".repeat(32)));
    for (String bad : Arrays.asList(null, "", "x".repeat(33), "a b", "ä")) {
      assertTrue(!Hello.validTargetName(bad), "'" + bad + "' must be invalid");
    }
  }

  private static String name32(int i) {
    String s = "t" + i;
    return s + "x".repeat(ProtocolLimits.MAX_TARGET_NAME - s.length());
  }
}
