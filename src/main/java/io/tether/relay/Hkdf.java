package io.tether.relay;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA-256 (RFC 5869): derives a key for one purpose from the node secret, so that
 * the raw {@code secret.key} keeps hashing tokens and nothing else, and a key leaked from one use
 * says nothing about another.
 */
public final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  public static byte[] derive(byte[] inputKey, byte[] salt, byte[] info, int length) {
    if (length <= 0 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF output length " + length);
    }
    byte[] prk = hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt, inputKey);
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    int filled = 0;
    for (int i = 1; filled < length; i++) {
      byte[] message = new byte[block.length + info.length + 1];
      System.arraycopy(block, 0, message, 0, block.length);
      System.arraycopy(info, 0, message, block.length, info.length);
      message[message.length - 1] = (byte) i;
      block = hmac(prk, message);
      int n = Math.min(block.length, length - filled);
      System.arraycopy(block, 0, out, filled, n);
      filled += n;
    }
    return out;
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
