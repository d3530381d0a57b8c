package io.tether.ssh;

import java.security.PublicKey;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** Users' public keys in OpenSSH's one-line form ({@code ssh-ed25519 AAAA… comment}). */
final class PublicKeys {
  /** Far above any real key line (an RSA 16384 key is about 2.8 KB). */
  static final int MAX_LINE = 8192;

  private PublicKeys() {}

  /** A parsed key: its canonical line (type and data, no comment) and SHA-256 fingerprint. */
  record Parsed(PublicKey key, String type, String line, String fingerprint) {}

  /** Parses one key line; IllegalArgumentException with words for the user when it is none. */
  static Parsed parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("publicKey is required: paste one line of your .pub file");
    }
    String line = text.strip();
    if (line.length() > MAX_LINE || line.contains("\n")) {
      throw new IllegalArgumentException(
          "publicKey must be one line in OpenSSH format (ssh-ed25519 AAAA… comment)");
    }
    try {
      AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
      if (entry == null || entry.getLoginOptions() != null && !entry.getLoginOptions().isEmpty()) {
        throw new IllegalArgumentException("options before the key are not accepted");
      }
      PublicKey key = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
      String type = entry.getKeyType();
      String canonical = type + " " + line.split("\\s+")[1];
      return new Parsed(key, type, canonical, fingerprint(key));
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "publicKey is not an OpenSSH public key line (ssh-ed25519, ecdsa-sha2-nistp256/384/521"
              + " or ssh-rsa, then the base64 key)");
    }
  }

  /** {@code SHA256:…} as {@code ssh-keygen -l} prints it. */
  static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(key);
  }
}
