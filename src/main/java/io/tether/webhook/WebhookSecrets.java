package io.tether.webhook;

import io.tether.boot.NodeIdentity;
import io.tether.relay.Hkdf;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Endpoint secrets: {@code whsec_<base64 of 32 random bytes>}, shown once, stored sealed with
 * AES-256-GCM under a key derived (HKDF) from the node secret, so a database dump alone signs
 * nothing. Every node of a cluster shares {@code secret.key}, so every node can open them.
 */
@ApplicationScoped
public class WebhookSecrets {
  static final int SECRET_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  static final String KEY_LABEL = "tether webhook secrets v1";

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject NodeIdentity node;

  private volatile SecretKeySpec key;

  public String generate() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return Signer.PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  public byte[] seal(String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  public String open(byte[] sealed) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      byte[] plain = c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a webhook secret cannot be opened: was secret.key replaced? (" + e + ")", e);
    }
  }

  private SecretKeySpec key() {
    if (key == null) {
      byte[] derived =
          Hkdf.derive(
              node.secret(), new byte[0], KEY_LABEL.getBytes(StandardCharsets.US_ASCII), 32);
      key = new SecretKeySpec(derived, "AES");
    }
    return key;
  }
}
