package io.tether.mfa;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30 s steps, 6 digits,
 * what every authenticator app speaks by default. Pure: the caller keeps the secret and the last
 * accepted step.
 */
public final class Totp {
  /** The step length of RFC 6238's default, which authenticator apps assume. */
  public static final long STEP_SECONDS = 30;

  /** Digits of a code. */
  public static final int DIGITS = 6;

  /**
   * Steps either side of now that are accepted: a phone clock a little off, or a code typed just as
   * it turned, still works (RFC 6238 §5.2 recommends at most one).
   */
  public static final int SKEW_STEPS = 1;

  /** 160 bits, the length RFC 4226 recommends for HMAC-SHA1. */
  public static final int SECRET_BYTES = 20;

  private static final int[] POWERS = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  private Totp() {}

  /** The step an instant falls in. */
  public static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
  }

  /** The RFC 4226 HOTP value of {@code counter}, {@code digits} long with leading zeros. */
  public static String hotp(byte[] key, long counter, int digits) {
    byte[] hash = hmacSha1(key, ByteBuffer.allocate(8).putLong(counter).array());
    int offset = hash[hash.length - 1] & 0x0f;
    int binary =
        ((hash[offset] & 0x7f) << 24)
            | ((hash[offset + 1] & 0xff) << 16)
            | ((hash[offset + 2] & 0xff) << 8)
            | (hash[offset + 3] & 0xff);
    String code = Integer.toString(binary % POWERS[digits]);
    return "0".repeat(digits - code.length()) + code;
  }

  /** The 6-digit code of a step. */
  public static String code(byte[] key, long step) {
    return hotp(key, step, DIGITS);
  }

  /**
   * The step within {@link #SKEW_STEPS} of {@code now} whose code is {@code code} and that is later
   * than {@code lastAccepted} (a code once accepted never counts again), or empty.
   */
  public static OptionalLong match(byte[] key, String code, long now, long lastAccepted) {
    if (code == null || code.length() != DIGITS || !code.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    byte[] presented = code.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    OptionalLong found = OptionalLong.empty();
    for (long step = now - SKEW_STEPS; step <= now + SKEW_STEPS; step++) {
      byte[] expected = code(key, step).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      // every step is compared, in constant time, so timing does not tell which one matched
      if (MessageDigest.isEqual(expected, presented) && step > lastAccepted && found.isEmpty()) {
        found = OptionalLong.of(step);
      }
    }
    return found;
  }

  private static byte[] hmacSha1(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is unavailable", e);
    }
  }
}
