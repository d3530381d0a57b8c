package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AgentUpgradeTest {
  private static final byte[] SHA = filled(32, 0xab);
  private static final byte[] SIG = filled(64, 0x5a);

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void roundTripsAndPinsTheLayout() throws Exception {
    byte[] payload = new AgentUpgrade("0.2.0", 1045344, SHA, SIG).encode();
    String hex = HexFormat.of().formatHex(payload);
    assertEquals(
        "0005" + "302e322e30" + "00000000000ff360" + "ab".repeat(32) + "5a".repeat(64), hex);
    AgentUpgrade back = AgentUpgrade.decode(payload);
    assertEquals("0.2.0", back.version());
    assertEquals(1045344, back.size());
    assertArrayEquals(SHA, back.sha256());
    assertArrayEquals(SIG, back.signature());
  }

  @Test
  void theStatementNamesVersionSizeAndDigest() {
    assertEquals(
        "tether-agent-upgrade v1\nversion=0.2.0\nsize=7\nsha256=" + "ab".repeat(32) + "\n",
        new String(AgentUpgrade.statement("0.2.0", 7, SHA), StandardCharsets.US_ASCII));
  }

  @Test
  void rejectsAJarLargerThanMaxJarBytes() {
    byte[] payload = new AgentUpgrade("0.2.0", AgentUpgrade.MAX_JAR_BYTES + 1, SHA, SIG).encode();
    ProtocolException e = assertThrows(ProtocolException.class, () -> AgentUpgrade.decode(payload));
    assertEquals(TunnelCloseCode.LIMIT_EXCEEDED, e.closeCode());
  }

  @Test
  void rejectsTruncationAndTrailingBytes() {
    byte[] payload = new AgentUpgrade("0.2.0", 7, SHA, SIG).encode();
    assertThrows(
        ProtocolException.class,
        () -> AgentUpgrade.decode(Arrays.copyOf(payload, payload.length - 1)));
    assertThrows(
        ProtocolException.class,
        () -> AgentUpgrade.decode(Arrays.copyOf(payload, payload.length + 1)));
  }

  @Test
  void rejectsAControlCharacterInTheVersion() {
    byte[] payload = new AgentUpgrade("0.2.0\n", 7, SHA, SIG).encode();
    assertThrows(ProtocolException.class, () -> AgentUpgrade.decode(payload));
  }

  @Test
  void theFailureReasonRoundTripsWithControlsReplaced() throws Exception {
    assertEquals("no key\uFFFDx", AgentUpgrade.failedReason(AgentUpgrade.failed("no key\u001bx")));
  }

  @Test
  void capabilitiesAreReadFromTheHeaderIgnoringUnknownNames() {
    assertTrue(AgentCapabilities.offers("upgrade", AgentCapabilities.UPGRADE));
    assertTrue(AgentCapabilities.offers("future, Upgrade", AgentCapabilities.UPGRADE));
    assertFalse(AgentCapabilities.offers(null, AgentCapabilities.UPGRADE));
    assertFalse(AgentCapabilities.offers("upgrades", AgentCapabilities.UPGRADE));
    assertFalse(AgentCapabilities.offers("x,".repeat(200) + "upgrade", AgentCapabilities.UPGRADE));
  }
}
