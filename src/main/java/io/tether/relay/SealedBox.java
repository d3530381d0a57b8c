package io.tether.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals small secrets at rest (webhook secrets, TOTP secrets): AES-256-GCM under a key derived
 * (HKDF) from the node secret with a label of its own per use, stored as {@code nonce ||
 * ciphertext}. A database dump alone opens nothing; every node of a cluster shares {@code
 * secret.key}, so every node can open them.
 */
public final class SealedBox {
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String what;

  /**
   * @param label the HKDF info of this use: two uses with different labels never share a key
   * @param what names the secrets in an error ("a webhook secret")
   */
  public SealedBox(byte[] nodeSecret, String label, String what) {
    byte[] derived =
        Hkdf.derive(nodeSecret, new byte[0], label.getBytes(StandardCharsets.US_ASCII), KEY_BYTES);
    this.key = new SecretKeySpec(derived, "AES");
    this.what = what;
  }

  public byte[] seal(byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = c.doFinal(plain);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  public byte[] open(byte[] sealed) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          what + " cannot be opened: was secret.key replaced? (" + e + ")", e);
    }
  }
}
