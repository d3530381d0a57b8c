package io.tether.agent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.AgentUpgrade;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpgradeCheckTest {
  @TempDir Path dir;

  private static final KeyPair PORTAL = generate();
  private static final KeyPair OTHER = generate();

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Path jar(String version) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    Path jar = dir.resolve("agent-" + version + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, m)) {
      j.putNextEntry(new JarEntry("hello.txt"));
      j.write("hello".getBytes());
    }
    return jar;
  }

  private static AgentUpgrade offer(Path jar, String version, KeyPair signer) throws Exception {
    byte[] sha = UpgradeCheck.sha256(jar);
    long size = Files.size(jar);
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(signer.getPrivate());
    s.update(AgentUpgrade.statement(version, size, sha));
    return new AgentUpgrade(version, size, sha, s.sign());
  }

  private Path pem(KeyPair keys) throws Exception {
    return Files.writeString(
        dir.resolve("upgrade.pub"),
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
  }

  @Test
  void aJarThePortalSignedPasses() throws Exception {
    Path jar = jar("0.2.0");
    AgentUpgrade offer = offer(jar, "0.2.0", PORTAL);
    assertDoesNotThrow(() -> UpgradeCheck.signed(offer, UpgradeCheck.readKey(pem(PORTAL))));
    assertDoesNotThrow(() -> UpgradeCheck.matches(jar, offer));
  }

  @Test
  void rejectsAnOfferSignedWithAnotherKey() throws Exception {
    Path jar = jar("0.2.0");
    AgentUpgrade offer = offer(jar, "0.2.0", OTHER);
    UpgradeCheck.Refused e =
        assertThrows(
            UpgradeCheck.Refused.class,
            () -> UpgradeCheck.signed(offer, UpgradeCheck.readKey(pem(PORTAL))));
    assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
  }

  @Test
  void rejectsAFlippedSignatureByte() throws Exception {
    Path jar = jar("0.2.0");
    AgentUpgrade good = offer(jar, "0.2.0", PORTAL);
    byte[] sig = good.signature().clone();
    sig[0] ^= 1;
    AgentUpgrade bad = new AgentUpgrade(good.version(), good.size(), good.sha256(), sig);
    assertThrows(
        UpgradeCheck.Refused.class,
        () -> UpgradeCheck.signed(bad, UpgradeCheck.readKey(pem(PORTAL))));
  }

  @Test
  void rejectsAnOfferWhoseVersionWasChangedAfterSigning() throws Exception {
    Path jar = jar("0.2.0");
    AgentUpgrade good = offer(jar, "0.2.0", PORTAL);
    AgentUpgrade relabelled =
        new AgentUpgrade("9.9.9", good.size(), good.sha256(), good.signature());
    assertThrows(
        UpgradeCheck.Refused.class,
        () -> UpgradeCheck.signed(relabelled, UpgradeCheck.readKey(pem(PORTAL))));
  }

  @Test
  void rejectsATamperedJar() throws Exception {
    Path jar = jar("0.2.0");
    AgentUpgrade offer = offer(jar, "0.2.0", PORTAL);
    byte[] bytes = Files.readAllBytes(jar);
    bytes[bytes.length / 2] ^= 1;
    Files.write(jar, bytes);
    UpgradeCheck.Refused e =
        assertThrows(UpgradeCheck.Refused.class, () -> UpgradeCheck.matches(jar, offer));
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
  }

  @Test
  void rejectsAJarOfAnotherVersionThanSigned() throws Exception {
    Path jar = jar("0.1.0");
    AgentUpgrade offer = offer(jar, "0.2.0", PORTAL); // signed, but the jar says otherwise
    UpgradeCheck.Refused e =
        assertThrows(UpgradeCheck.Refused.class, () -> UpgradeCheck.matches(jar, offer));
    assertTrue(e.getMessage().contains("version 0.1.0"), e.getMessage());
  }

  @Test
  void rejectsAKeyFileThatIsNoKey() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pub"), "not a key\n");
    assertThrows(UpgradeCheck.Refused.class, () -> UpgradeCheck.readKey(garbage));
    Path missing = dir.resolve("missing.pub");
    assertThrows(UpgradeCheck.Refused.class, () -> UpgradeCheck.readKey(missing));
  }
}
