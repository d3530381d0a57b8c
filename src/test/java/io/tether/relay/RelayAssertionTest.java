package io.tether.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.access.Principal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RelayAssertionTest {
  private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.US_ASCII);

  static RelayAssertion sample(String audience, long epoch, long expires, String nonce) {
    return new RelayAssertion(
        "node-a",
        audience,
        epoch,
        7,
        Principal.Via.WEB_SESSION,
        42,
        9,
        "console",
        RelayPurpose.TERMINAL,
        "10.1.2.3",
        expires,
        nonce,
        null,
        null);
  }

  @Test
  void aSignedAssertionReadsBackUnchanged() throws Exception {
    RelayAssertion a = sample("node-b", 3, 1_000, "n1");
    assertEquals(a, RelayAssertion.verify(a.sign(KEY), KEY));
  }

  @Test
  void anotherKeysAssertionIsRefused() {
    String token = sample("node-b", 3, 1_000, "n1").sign("x".repeat(32).getBytes());
    assertTrue(
        assertThrows(RelayAssertion.Unreadable.class, () -> RelayAssertion.verify(token, KEY))
            .getMessage()
            .contains("bad MAC"));
  }

  @Test
  void aChangedPayloadFailsTheMac() {
    String token = sample("node-b", 3, 1_000, "n1").sign(KEY);
    String[] parts = token.split("\\.");
    String forged =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"sub\":7", "\"sub\":1");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes())
            + "."
            + parts[2];
    assertThrows(RelayAssertion.Unreadable.class, () -> RelayAssertion.verify(tampered, KEY));
  }

  @Test
  void onlyVersionOneIsRead() {
    String token = sample("node-b", 3, 1_000, "n1").sign(KEY).replaceFirst("^v1", "v2");
    assertThrows(RelayAssertion.Unreadable.class, () -> RelayAssertion.verify(token, KEY));
  }

  @Test
  void missingGarbledAndOverlongAssertionsAreRefusedBeforeDecoding() {
    for (String token :
        new String[] {null, "", "v1.", "v1.!!!.###", "x".repeat(RelayAssertion.MAX_LENGTH + 1)}) {
      assertThrows(
          RelayAssertion.Unreadable.class, () -> RelayAssertion.verify(token, KEY), "" + token);
    }
  }

  @Test
  void theVouchedPrincipalCarriesOnlyTheCredentialToReRead() {
    Principal p = sample("node-b", 3, 1_000, "n1").principal();
    assertEquals(42L, p.credentialId());
    assertEquals(Principal.Via.WEB_SESSION, p.via());
    assertEquals(false, p.admin(), "rights are read again, never taken from the assertion");
  }

  @Test
  void rejectsAWebAssertionWithoutItsDeviceWebSession() throws Exception {
    assertTrue(
        assertThrows(
                RelayAssertion.Unreadable.class,
                () -> RelayAssertion.verify(web(null).sign(KEY), KEY))
            .getMessage()
            .contains("incomplete"));
    assertEquals(5L, RelayAssertion.verify(web(5L).sign(KEY), KEY).webSessionId());
  }

  /** A device page's assertion naming device-web session {@code session}. */
  private static RelayAssertion web(Long session) {
    return new RelayAssertion(
        "node-a",
        "node-b",
        3,
        7,
        Principal.Via.WEB_SESSION,
        42,
        9,
        "ui",
        RelayPurpose.WEB,
        "10.1.2.3",
        1_000,
        "n1",
        null,
        session);
  }
}
