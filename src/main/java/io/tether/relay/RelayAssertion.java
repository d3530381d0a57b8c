package io.tether.relay;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.access.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * What the node a user reached vouches for when it hands a socket to the device's node: who (user
 * and the credential they signed in with; for a link client, the link it came through and its
 * address; for a device page, its device-web session), what (device, target, purpose), for whom
 * (the audience node and its epoch) and until when, with a nonce the audience remembers. Encoded
 * {@code v1.PAYLOAD.MAC}: the payload is base64url JSON, the MAC HMAC-SHA-256 of {@code v1.PAYLOAD}
 * under the relay key. The owner re-reads the user and asks the access policy itself: an assertion
 * opens nothing the user could not open there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RelayAssertion(
    @JsonProperty("iss") String issuer,
    @JsonProperty("aud") String audience,
    @JsonProperty("epoch") long audienceEpoch,
    @JsonProperty("sub") long userId,
    @JsonProperty("via") Principal.Via via,
    @JsonProperty("cred") long credentialId,
    @JsonProperty("dev") long deviceId,
    @JsonProperty("tgt") String target,
    @JsonProperty("use") RelayPurpose purpose,
    @JsonProperty("addr") String clientAddress,
    @JsonProperty("exp") long expiresAtMillis,
    @JsonProperty("nonce") String nonce,
    @JsonProperty("link") Long linkId,
    @JsonProperty("web") Long webSessionId) {

  /** The only version this node writes and reads. */
  static final String VERSION = "v1";

  /** An assertion longer than this is refused before it is decoded. */
  static final int MAX_LENGTH = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /** Why an assertion could not be read: bad form or a MAC that does not match. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String why) {
      super(why, null, false, false);
    }
  }

  /** The user as vouched for: only the credential counts, the rest is read again by the owner. */
  @JsonIgnore
  public Principal principal() {
    return new Principal(userId, "", false, via, credentialId < 0 ? null : credentialId, null);
  }

  String sign(byte[] key) {
    try {
      String signed = VERSION + "." + B64.encodeToString(JSON.writeValueAsBytes(this));
      return signed + "." + B64.encodeToString(Hkdf.hmac(key, ascii(signed)));
    } catch (IOException e) {
      throw new IllegalStateException("relay assertion not encoded", e);
    }
  }

  /** Reads and authenticates an assertion; nothing else (audience, time, nonce) is checked here. */
  static RelayAssertion verify(String token, byte[] key) throws Unreadable {
    if (token == null || token.isEmpty()) {
      throw new Unreadable("no assertion");
    }
    if (token.length() > MAX_LENGTH) {
      throw new Unreadable("assertion too long");
    }
    int dot = token.lastIndexOf('.');
    if (!token.startsWith(VERSION + ".") || dot <= VERSION.length()) {
      throw new Unreadable("not a " + VERSION + " assertion");
    }
    String signed = token.substring(0, dot);
    byte[] mac;
    byte[] payload;
    try {
      mac = B64D.decode(token.substring(dot + 1));
      payload = B64D.decode(signed.substring(VERSION.length() + 1));
    } catch (IllegalArgumentException e) {
      throw new Unreadable("not base64url");
    }
    if (!MessageDigest.isEqual(mac, Hkdf.hmac(key, ascii(signed)))) {
      throw new Unreadable("bad MAC");
    }
    try {
      RelayAssertion a = JSON.readValue(payload, RelayAssertion.class);
      boolean user = a.purpose != RelayPurpose.LINK;
      if (a.audience == null
          || a.purpose == null
          || a.nonce == null
          || (user ? a.via == null : a.linkId == null)
          || (a.purpose == RelayPurpose.WEB && a.webSessionId == null)) {
        throw new Unreadable("incomplete assertion");
      }
      return a;
    } catch (IOException e) {
      throw new Unreadable("unreadable payload");
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
