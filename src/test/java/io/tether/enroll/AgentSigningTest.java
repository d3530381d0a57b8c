package io.tether.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.AgentUpgrade;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AgentSigningTest {
  private static byte[] secret(int fill) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) fill);
    return s;
  }

  private static PublicKey fromPem(String pem) throws Exception {
    String body =
        pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "");
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
  }

  private static boolean verifies(String pem, byte[] message, byte[] signature) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(fromPem(pem));
    s.update(message);
    return s.verify(signature);
  }

  @Test
  void theSameSecretGivesTheSameKeyOnEveryNode() {
    assertEquals(
        new AgentSigning(secret(7)).publicKeyPem(), new AgentSigning(secret(7)).publicKeyPem());
    assertNotEquals(
        new AgentSigning(secret(7)).publicKeyPem(), new AgentSigning(secret(8)).publicKeyPem());
  }

  @Test
  void aSignatureVerifiesWithThePublishedKeyAndNotWithAnother() throws Exception {
    AgentSigning signing = new AgentSigning(secret(7));
    byte[] statement = AgentUpgrade.statement("0.2.0", 1234, new byte[32]);
    byte[] signature = signing.sign(statement);
    assertEquals(AgentUpgrade.SIGNATURE_BYTES, signature.length);
    assertTrue(verifies(signing.publicKeyPem(), statement, signature));
    assertFalse(verifies(new AgentSigning(secret(8)).publicKeyPem(), statement, signature));
  }

  @Test
  void aFlippedByteFails() throws Exception {
    AgentSigning signing = new AgentSigning(secret(7));
    byte[] statement = AgentUpgrade.statement("0.2.0", 1234, new byte[32]);
    byte[] signature = signing.sign(statement);
    byte[] badSignature = signature.clone();
    badSignature[10] ^= 1;
    assertFalse(verifies(signing.publicKeyPem(), statement, badSignature));
    byte[] otherJar = new byte[32];
    otherJar[31] = 1;
    assertFalse(
        verifies(
            signing.publicKeyPem(), AgentUpgrade.statement("0.2.0", 1234, otherJar), signature));
  }

  @Test
  void theKeyIsNotTheRawSecret() throws Exception {
    // the derivation label keeps this key apart from the secret's other uses
    String pem = new AgentSigning(secret(7)).publicKeyPem();
    assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem);
    assertEquals(44, fromPem(pem).getEncoded().length); // SubjectPublicKeyInfo of Ed25519
  }
}
