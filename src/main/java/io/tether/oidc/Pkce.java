package io.tether.oidc;

import io.tether.access.SecretToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** RFC 7636 proof key: a random verifier kept by us, its S256 challenge sent to the provider. */
final class Pkce {
  /** 32 random bytes give a 43-character verifier, the RFC's minimum length and its advice. */
  static final int VERIFIER_BYTES = 32;

  private Pkce() {}

  static String verifier() {
    return SecretToken.random(VERIFIER_BYTES);
  }

  /** {@code BASE64URL(SHA256(ASCII(verifier)))} without padding. */
  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
