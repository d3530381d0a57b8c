package io.tether.agent;

import io.tether.protocol.AgentUpgrade;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The checks an upgrade passes before the agent runs it: the offer is signed with the key the agent
 * was installed with, and the downloaded jar is the one the offer names (size, SHA-256, version).
 */
final class UpgradeCheck {
  /** Why an upgrade is refused, in one line for the portal's audit and the agent's log. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** PEM files are a few hundred bytes: a bigger one is not a key. */
  private static final long MAX_KEY_FILE_BYTES = 16 * 1024;

  private UpgradeCheck() {}

  /** The Ed25519 public key in a PEM file (SubjectPublicKeyInfo, as the portal serves it). */
  static PublicKey readKey(Path pem) throws Refused {
    try {
      if (Files.size(pem) > MAX_KEY_FILE_BYTES) {
        throw new Refused("the upgrade key " + pem + " is not a PEM public key (too large)");
      }
      String text = Files.readString(pem, StandardCharsets.US_ASCII);
      int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
      int end = text.indexOf("-----END PUBLIC KEY-----");
      if (begin < 0 || end < begin) {
        throw new Refused("the upgrade key " + pem + " is not a PEM public key");
      }
      byte[] der =
          Base64.getMimeDecoder()
              .decode(text.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end));
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (IOException e) {
      throw new Refused("cannot read the upgrade key " + pem + ": " + e.getMessage());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new Refused("the upgrade key " + pem + " is not an Ed25519 public key");
    }
  }

  /** The offer is signed with {@code key}: checked before anything is downloaded. */
  static void signed(AgentUpgrade offer, PublicKey key) throws Refused {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(offer.statement());
      if (offer.signature().length != AgentUpgrade.SIGNATURE_BYTES
          || !s.verify(offer.signature())) {
        throw new Refused("the upgrade's signature does not verify with the installed upgrade key");
      }
    } catch (GeneralSecurityException e) {
      throw new Refused("the upgrade's signature does not verify: " + e.getMessage());
    }
  }

  /** The downloaded {@code jar} is exactly what the signed offer names. */
  static void matches(Path jar, AgentUpgrade offer) throws Refused {
    try {
      long size = Files.size(jar);
      if (size != offer.size()) {
        throw new Refused(
            "the downloaded jar has " + size + " bytes, the signed offer " + offer.size());
      }
      byte[] sha = sha256(jar);
      if (!Arrays.equals(sha, offer.sha256())) {
        throw new Refused(
            "the downloaded jar's SHA-256 "
                + HexFormat.of().formatHex(sha)
                + " differs from the signed "
                + HexFormat.of().formatHex(offer.sha256()));
      }
      String version = manifestVersion(jar);
      if (!offer.version().equals(version)) {
        throw new Refused(
            "the downloaded jar says version " + version + ", the offer " + offer.version());
      }
    } catch (IOException e) {
      throw new Refused("cannot read the downloaded jar: " + e.getMessage());
    }
  }

  static byte[] sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[16 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String manifestVersion(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest m = file.getManifest();
      return m == null
          ? null
          : m.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    }
  }
}
