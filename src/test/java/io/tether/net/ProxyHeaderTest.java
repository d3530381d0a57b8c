package io.tether.net;

import static io.tether.testing.ProxyHeaders.LOCAL;
import static io.tether.testing.ProxyHeaders.PROXY;
import static io.tether.testing.ProxyHeaders.TCP4;
import static io.tether.testing.ProxyHeaders.concat;
import static io.tether.testing.ProxyHeaders.header;
import static io.tether.testing.ProxyHeaders.proxy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The PROXY protocol v2 header as a balancer writes it, against hand-made bytes. */
class ProxyHeaderTest {
  private static ProxyHeader.Parsed complete(byte[] bytes) throws ProxyHeader.Invalid {
    Optional<ProxyHeader.Parsed> parsed = ProxyHeader.parse(bytes, bytes.length);
    assertTrue(parsed.isPresent(), "a complete header");
    return parsed.get();
  }

  private static String refused(byte[] bytes) {
    return assertThrows(ProxyHeader.Invalid.class, () -> ProxyHeader.parse(bytes, bytes.length))
        .getMessage();
  }

  @Test
  void anIpv4ProxyHeaderNamesTheClient() throws Exception {
    ProxyHeader.Parsed h = complete(proxy("10.1.2.3", 51234, "192.0.2.10", 20001));
    assertEquals(ProxyHeader.Command.PROXY, h.command());
    assertEquals("10.1.2.3", h.source().get().hostAddress());
    assertEquals(51234, h.source().get().port());
    assertEquals(16 + 12, h.length());
  }

  @Test
  void anIpv6ProxyHeaderNamesTheClient() throws Exception {
    ProxyHeader.Parsed h = complete(proxy("2001:db8::7", 443, "2001:db8::1", 20001));
    assertEquals("2001:db8:0:0:0:0:0:7", h.source().get().hostAddress());
    assertEquals(443, h.source().get().port());
    assertEquals(16 + 36, h.length());
  }

  @Test
  void aLocalHeaderIsTheBalancersOwnConnectionWithNoClient() throws Exception {
    ProxyHeader.Parsed bare = complete(header(LOCAL, 0x00, new byte[0]));
    assertEquals(ProxyHeader.Command.LOCAL, bare.command());
    assertTrue(bare.source().isEmpty(), "no client");
    assertEquals(16, bare.length());
    // the addresses of a LOCAL header are ignored, whatever family they claim
    ProxyHeader.Parsed withBlock = complete(header(LOCAL, 0x31, new byte[216]));
    assertTrue(withBlock.source().isEmpty());
    assertEquals(16 + 216, withBlock.length());
  }

  @Test
  void bytesAfterTheHeaderAreLeftForTheClientsData() throws Exception {
    byte[] header = proxy("10.1.2.3");
    byte[] payload = "AT+PING\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] both = concat(header, payload);
    ProxyHeader.Parsed h = complete(both);
    assertEquals(header.length, h.length());
    assertEquals(
        "AT+PING\r\n",
        new String(Arrays.copyOfRange(both, h.length(), both.length), StandardCharsets.US_ASCII));
  }

  @Test
  void tlvsAfterTheAddressesAreSkipped() throws Exception {
    byte[] block = new byte[12 + 7];
    block[0] = 10;
    block[1] = 1;
    block[2] = 2;
    block[3] = 3;
    block[12] = 0x05; // PP2_TYPE_UNIQUE_ID, length 4
    block[14] = 4;
    ProxyHeader.Parsed h = complete(header(PROXY, TCP4, block));
    assertEquals("10.1.2.3", h.source().get().hostAddress());
    assertEquals(16 + 19, h.length());
  }

  @Test
  void aTruncatedHeaderWaitsForMoreAtEveryLength() throws Exception {
    byte[] full = proxy("2001:db8::7", 1, "2001:db8::1", 2);
    for (int n = 0; n < full.length; n++) {
      assertTrue(ProxyHeader.parse(full, n).isEmpty(), "incomplete at " + n + " bytes");
    }
  }

  @Test
  void rejectsAConnectionThatDoesNotStartWithTheSignature() {
    byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    assertTrue(refused(http).contains("no PROXY protocol v2 header"), refused(http));
    // refused at the first wrong byte, without waiting for a whole header
    byte[] oneByte = {0x41};
    assertTrue(refused(oneByte).contains("no PROXY protocol v2 header"));
    byte[] almost = Arrays.copyOf(ProxyHeader.SIGNATURE, 12);
    almost[11] = 0x0B;
    assertTrue(refused(almost).contains("no PROXY protocol v2 header"));
  }

  @Test
  void rejectsTheVersion1TextHeader() throws Exception {
    byte[] v1 = "PROXY TCP4 10.1.2.3 127.0.0.1 40000 20000\r\n".getBytes(StandardCharsets.US_ASCII);
    assertTrue(refused(v1).contains("version 1 (text)"), refused(v1));
    assertTrue(ProxyHeader.parse(v1, 3).isEmpty(), "'PRO' may still become version 1");
  }

  @Test
  void rejectsAVersionOtherThan2() {
    assertTrue(refused(header(0x11, TCP4, new byte[12])).contains("version 1, only version 2"));
    assertTrue(refused(header(0x31, TCP4, new byte[12])).contains("version 3"));
  }

  @Test
  void rejectsAnUnknownCommand() {
    assertTrue(refused(header(0x22, TCP4, new byte[12])).contains("unknown command 2"));
  }

  @Test
  void rejectsAHeaderLongerThanTheLimitBeforeItsBytesArrive() throws Exception {
    byte[] fixed = Arrays.copyOf(header(PROXY, TCP4, new byte[0]), 16);
    int declared = ProxyHeader.MAX_BYTES - 16 + 1;
    fixed[14] = (byte) (declared >> 8);
    fixed[15] = (byte) declared;
    assertTrue(refused(fixed).contains("longer than the 1024 accepted"), refused(fixed));
    byte[] atLimit = header(PROXY, TCP4, new byte[ProxyHeader.MAX_BYTES - 16]);
    assertEquals(ProxyHeader.MAX_BYTES, complete(atLimit).length(), "the limit itself is fine");
  }

  @Test
  void rejectsTransportsOtherThanTcp() {
    assertTrue(refused(header(PROXY, 0x12, new byte[12])).contains("only TCP"));
    assertTrue(refused(header(PROXY, 0x10, new byte[12])).contains("only TCP"));
  }

  @Test
  void rejectsFamiliesOtherThanIpv4AndIpv6() {
    assertTrue(refused(header(PROXY, 0x31, new byte[216])).contains("only IPv4 and IPv6"));
    assertTrue(refused(header(PROXY, 0x01, new byte[0])).contains("only IPv4 and IPv6"));
  }

  @Test
  void rejectsAnAddressBlockShorterThanItsFamilyNeeds() {
    assertTrue(refused(header(PROXY, TCP4, new byte[11])).contains("12 needed"));
    assertTrue(refused(header(PROXY, 0x21, new byte[12])).contains("36 needed"));
  }
}
