package io.tether.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A security key in software, for tests: one P-256 credential, "none" attestation, a signature
 * counter the test sets. It answers as a browser does (the PublicKeyCredential's JSON form), for
 * any origin and rpId the test names, so a test can also answer wrongly on purpose.
 */
public final class SoftAuthenticator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final byte[] credentialId = new byte[32];
  private long counter;

  public SoftAuthenticator() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      keys = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    RANDOM.nextBytes(credentialId);
  }

  /** The id the portal lists the credential under, base64url. */
  public String credentialId() {
    return encode(credentialId);
  }

  /** The counter the next answer carries (each answer then adds one). */
  public SoftAuthenticator counter(long value) {
    counter = value;
    return this;
  }

  /** The answer to a registration's creation options, as {@code credential.toJSON()}. */
  public String register(String challenge, String origin, String rpId) {
    byte[] clientData = clientData("webauthn.create", challenge, origin);
    byte[] cose =
        new ObjectConverter()
            .getCborConverter()
            .writeValueAsBytes(
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
    ByteArrayOutputStream authData = new ByteArrayOutputStream();
    authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
    authData.write(0x01 | 0x04 | 0x40); // user present, user verified, attested credential data
    authData.writeBytes(ByteBuffer.allocate(4).putInt((int) counter++).array());
    authData.writeBytes(new byte[16]); // AAGUID: none
    authData.writeBytes(ByteBuffer.allocate(2).putShort((short) credentialId.length).array());
    authData.writeBytes(credentialId);
    authData.writeBytes(cose);
    Map<String, Object> attestation = new LinkedHashMap<>();
    attestation.put("fmt", "none");
    attestation.put("attStmt", Map.of());
    attestation.put("authData", authData.toByteArray());
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("clientDataJSON", encode(clientData));
    response.put("attestationObject", encode(cbor(attestation)));
    response.put("transports", List.of("usb"));
    return credential(response);
  }

  /** The answer to a sign-in's request options, signed with the credential's key. */
  public String sign(String challenge, String origin, String rpId) {
    byte[] clientData = clientData("webauthn.get", challenge, origin);
    ByteArrayOutputStream authData = new ByteArrayOutputStream();
    authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
    authData.write(0x01 | 0x04);
    authData.writeBytes(ByteBuffer.allocate(4).putInt((int) counter++).array());
    byte[] signature;
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(keys.getPrivate());
      s.update(authData.toByteArray());
      s.update(sha256(clientData));
      signature = s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("clientDataJSON", encode(clientData));
    response.put("authenticatorData", encode(authData.toByteArray()));
    response.put("signature", encode(signature));
    return credential(response);
  }

  private String credential(Map<String, Object> response) {
    Map<String, Object> credential = new LinkedHashMap<>();
    credential.put("id", encode(credentialId));
    credential.put("rawId", encode(credentialId));
    credential.put("type", "public-key");
    credential.put("response", response);
    credential.put("clientExtensionResults", Map.of());
    credential.put("authenticatorAttachment", "cross-platform");
    try {
      return JSON.writeValueAsString(credential);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] clientData(String type, String challenge, String origin) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("type", type);
    data.put("challenge", challenge);
    data.put("origin", origin);
    data.put("crossOrigin", false);
    try {
      return JSON.writeValueAsBytes(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] cbor(Object value) {
    try {
      return CBOR.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
