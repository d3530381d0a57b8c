package io.tether.access;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bearer secret in the form {@code <prefix>_<lookup>_<secret>}: the readable prefix says what it
 * is (tdv device, tat API, ten enrollment), the lookup id finds the row without scanning, the
 * secret is checked against a keyed hash in constant time.
 */
public record SecretToken(String prefix, String lookupId, String secret) {
  public static final String DEVICE = "tdv";
  public static final String API = "tat";
  public static final String ENROLLMENT = "ten";

  /** 12 hex characters: unique enough to index, short enough to read in a log line. */
  static final int LOOKUP_BYTES = 6;

  /** 256 bits of secret: not guessable, so a fast hash is safe. */
  static final int SECRET_BYTES = 32;

  private static final Pattern FORMAT =
      Pattern.compile("([a-z]{3})_([0-9a-f]{" + LOOKUP_BYTES * 2 + "})_([A-Za-z0-9_-]{40,64})");
  private static final SecureRandom RANDOM = new SecureRandom();

  public static SecretToken generate(String prefix) {
    byte[] lookup = new byte[LOOKUP_BYTES];
    RANDOM.nextBytes(lookup);
    return new SecretToken(prefix, HexFormat.of().formatHex(lookup), random(SECRET_BYTES));
  }

  /** {@code bytes} random bytes, base64url without padding: an opaque secret found by its hash. */
  public static String random(int bytes) {
    byte[] secret = new byte[bytes];
    RANDOM.nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** Parses a presented token of the expected kind; empty when it is malformed or another kind. */
  public static Optional<SecretToken> parse(String presented, String expectedPrefix) {
    if (presented == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(presented.trim());
    if (!m.matches() || !m.group(1).equals(expectedPrefix)) {
      return Optional.empty();
    }
    return Optional.of(new SecretToken(m.group(1), m.group(2), m.group(3)));
  }

  /** The full token as given to its owner, once. */
  public String value() {
    return prefix + "_" + lookupId + "_" + secret;
  }

  @Override
  public String toString() {
    return prefix + "_" + lookupId + "_…";
  }
}
