package io.tether.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PKCE S256 (RFC 7636). */
class PkceTest {
  @Test
  void theChallengeMatchesTheRfcsExample() {
    // RFC 7636, appendix B
    assertEquals(
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
  }

  @Test
  void verifiersAreLongRandomAndUnreserved() {
    String v = Pkce.verifier();
    assertTrue(v.length() >= 43 && v.length() <= 128, "43..128 characters: " + v.length());
    assertTrue(v.matches("[A-Za-z0-9._~-]+"), v);
    assertNotEquals(v, Pkce.verifier());
  }
}
