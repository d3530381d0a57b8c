package io.tether.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>}, one per
 * secret, space separated (during a rotation's grace both the new and the old secret sign).
 */
public final class Signer {
  public static final String PREFIX = "whsec_";

  private Signer() {}

  /** The {@code webhook-signature} header's value for {@code secrets} ({@code whsec_…}). */
  public static String header(List<String> secrets, String id, long timestamp, String body) {
    StringBuilder header = new StringBuilder();
    for (String secret : secrets) {
      if (!header.isEmpty()) {
        header.append(' ');
      }
      header.append("v1,").append(sign(key(secret), id, timestamp, body));
    }
    return header.toString();
  }

  static String sign(byte[] key, String id, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** The key bytes of a {@code whsec_<base64>} secret. */
  static byte[] key(String secret) {
    String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    return Base64.getDecoder().decode(b64);
  }
}
