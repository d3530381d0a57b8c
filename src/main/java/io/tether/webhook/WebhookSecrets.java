package io.tether.webhook;

import io.tether.boot.NodeIdentity;
import io.tether.relay.SealedBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Endpoint secrets: {@code whsec_<base64 of 32 random bytes>}, shown once, stored sealed in a
 * {@link SealedBox} under their own label, so a database dump alone signs nothing.
 */
@ApplicationScoped
public class WebhookSecrets {
  static final int SECRET_BYTES = 32;
  static final String KEY_LABEL = "tether webhook secrets v1";

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject NodeIdentity node;

  private volatile SealedBox box;

  public String generate() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return Signer.PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  public byte[] seal(String secret) {
    return box().seal(secret.getBytes(StandardCharsets.US_ASCII));
  }

  public String open(byte[] sealed) {
    return new String(box().open(sealed), StandardCharsets.US_ASCII);
  }

  private SealedBox box() {
    if (box == null) {
      box = new SealedBox(node.secret(), KEY_LABEL, "a webhook secret");
    }
    return box;
  }
}
