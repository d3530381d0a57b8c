package io.tether.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.EmbeddedPostgresResource;
import org.junit.jupiter.api.Test;

/**
 * OpenSSH public key lines: what parses, and fingerprints equal to ssh-keygen's. A {@code
 * QuarkusTest} although it needs no app: SSHD registers the Ed25519 provider JVM-wide, and once the
 * app (another class loader) has registered it, a plain test's SSHD finds that foreign provider and
 * cannot use its keys; in the app's class loader it is the same one.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class PublicKeysTest {
  @Test
  void fingerprintsAreThoseSshKeygenPrints() {
    assertEquals(TestKeys.ED25519_FINGERPRINT, PublicKeys.parse(TestKeys.ED25519).fingerprint());
    assertEquals(TestKeys.ECDSA_FINGERPRINT, PublicKeys.parse(TestKeys.ECDSA).fingerprint());
    assertEquals(TestKeys.RSA_FINGERPRINT, PublicKeys.parse(TestKeys.RSA).fingerprint());
  }

  @Test
  void theStoredLineKeepsTypeAndKeyButNotTheComment() {
    PublicKeys.Parsed p = PublicKeys.parse("  " + TestKeys.ED25519 + "\n");
    assertEquals("ssh-ed25519", p.type());
    assertEquals(TestKeys.ED25519.substring(0, TestKeys.ED25519.lastIndexOf(' ')), p.line());
  }

  @Test
  void rejectsTextThatIsNoKey() {
    for (String bad :
        new String[] {
          "",
          "hello",
          "ssh-ed25519",
          "ssh-ed25519 not-base64!",
          "-----BEGIN OPENSSH PRIVATE KEY-----"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PublicKeys.parse(bad), bad);
      assertTrue(e.getMessage().contains("publicKey"), e.getMessage());
    }
  }

  @Test
  void rejectsKeysWithAuthorizedKeysOptions() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PublicKeys.parse("command=\"/bin/sh\" " + TestKeys.ED25519));
  }

  @Test
  void rejectsTwoLines() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PublicKeys.parse(TestKeys.ED25519 + "\n" + TestKeys.RSA));
  }
}
