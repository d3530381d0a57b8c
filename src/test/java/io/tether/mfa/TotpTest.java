package io.tether.mfa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** TOTP against the RFCs' own test vectors, and the acceptance rules around them. */
class TotpTest {
  /** The SHA-1 key of RFC 4226 appendix D and RFC 6238 appendix B. */
  private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void hotpMatchesRfc4226AppendixD() {
    String[] expected = {
      "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
      "520489"
    };
    for (int counter = 0; counter < expected.length; counter++) {
      assertEquals(expected[counter], Totp.hotp(RFC_KEY, counter, 6), "HOTP counter " + counter);
    }
  }

  @Test
  void totpMatchesRfc6238AppendixBForSha1() {
    long[][] vectors = {
      {59L, 94287082L},
      {1111111109L, 7081804L},
      {1111111111L, 14050471L},
      {1234567890L, 89005924L},
      {2000000000L, 69279037L},
      {20000000000L, 65353130L}
    };
    for (long[] v : vectors) {
      long step = Totp.step(Instant.ofEpochSecond(v[0]));
      assertEquals(
          String.format("%08d", v[1]), Totp.hotp(RFC_KEY, step, 8), "TOTP at T=" + v[0] + " s");
    }
    assertEquals("287082", Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(59))));
  }

  @Test
  void acceptsOneStepEitherSideAndNoFurther() {
    long now = 1_000_000;
    for (long step = now - 1; step <= now + 1; step++) {
      assertEquals(
          OptionalLong.of(step),
          Totp.match(RFC_KEY, Totp.code(RFC_KEY, step), now, 0),
          "step " + (step - now));
    }
    assertTrue(Totp.match(RFC_KEY, Totp.code(RFC_KEY, now - 2), now, 0).isEmpty(), "two behind");
    assertTrue(Totp.match(RFC_KEY, Totp.code(RFC_KEY, now + 2), now, 0).isEmpty(), "two ahead");
  }

  @Test
  void refusesTheLastAcceptedStepAndEarlierOnes() {
    long now = 1_000_000;
    String code = Totp.code(RFC_KEY, now);
    assertTrue(Totp.match(RFC_KEY, code, now, now).isEmpty(), "a replay of the accepted step");
    assertTrue(
        Totp.match(RFC_KEY, Totp.code(RFC_KEY, now - 1), now, now).isEmpty(), "an older step");
    assertEquals(
        OptionalLong.of(now + 1), Totp.match(RFC_KEY, Totp.code(RFC_KEY, now + 1), now, now));
  }

  @Test
  void refusesCodesThatAreNotSixDigits() {
    long now = 1_000_000;
    String code = Totp.code(RFC_KEY, now);
    for (String bad :
        new String[] {null, "", code.substring(1), code + "0", "12a456", " " + code}) {
      assertTrue(Totp.match(RFC_KEY, bad, now, 0).isEmpty(), "'" + bad + "'");
    }
  }

  @Test
  void base32RoundTripsAndMatchesRfc4648() {
    assertEquals("MZXW6YTBOI", Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("MZXW6YQ", Base32.encode("foob".getBytes(StandardCharsets.US_ASCII)));
    assertArrayEquals(
        "foobar".getBytes(StandardCharsets.US_ASCII), Base32.decode("mzxw 6ytb oi======"));
    byte[] secret = new byte[Totp.SECRET_BYTES];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (i * 37);
    }
    assertArrayEquals(secret, Base32.decode(Base32.encode(secret)));
  }

  @Test
  void otpauthUriNamesIssuerAndAccount() {
    assertEquals(
        "otpauth://totp/Tether:alice?secret=ABC&issuer=Tether",
        TotpFactors.otpauthUri("alice", "ABC"));
  }
}
