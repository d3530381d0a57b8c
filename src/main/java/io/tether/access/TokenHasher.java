package io.tether.access;

import io.tether.boot.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 of token secrets, keyed with the data dir's secret: a stolen database alone cannot
 * verify guesses, and a reconnect storm costs microseconds per token (never a slow hash).
 */
@ApplicationScoped
public class TokenHasher {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;

  @Inject
  public TokenHasher(NodeIdentity identity) {
    this.key = new SecretKeySpec(identity.secret(), ALGORITHM);
  }

  public byte[] hash(String secret) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** Constant-time comparison of a presented secret with a stored hash. */
  public boolean matches(String secret, byte[] storedHash) {
    return MessageDigest.isEqual(hash(secret), storedHash);
  }
}
