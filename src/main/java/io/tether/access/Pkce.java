package io.tether.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 7636 proof key: a random verifier kept by whoever starts a flow, its S256 challenge sent
 * ahead (the portal to an OpenID provider; tether-cli to the portal, checked by the command-line
 * sign-in).
 */
public final class Pkce {
  /** 32 random bytes give a 43-character verifier, the RFC's minimum length and its advice. */
  public static final int VERIFIER_BYTES = 32;

  private Pkce() {}

  public static String verifier() {
    return SecretToken.random(VERIFIER_BYTES);
  }

  /** {@code BASE64URL(SHA256(ASCII(verifier)))} without padding. */
  public static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
