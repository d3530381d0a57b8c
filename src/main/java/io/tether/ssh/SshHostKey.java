package io.tether.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * The SSH server's host key: read from its file, or made there (ECDSA P-256, owner-only) on first
 * start. The file may also be one an operator made with {@code ssh-keygen} (any type SSHD reads).
 */
final class SshHostKey {
  /** The file's name in the data dir when {@code TETHER_SSH_HOST_KEY_FILE} is unset. */
  static final String FILE_NAME = "ssh_host_key";

  private final SimpleGeneratorHostKeyProvider provider;
  private final KeyPair pair;

  private SshHostKey(SimpleGeneratorHostKeyProvider provider, KeyPair pair) {
    this.provider = provider;
    this.pair = pair;
  }

  static SshHostKey load(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      boolean made = !Files.exists(file);
      SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
      provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
      provider.setKeySize(256);
      List<KeyPair> keys = provider.loadKeys(null);
      if (keys.isEmpty()) {
        throw new IllegalStateException("no host key in " + file);
      }
      if (made) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return new SshHostKey(provider, keys.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException("SSH host key " + file + ": " + e.getMessage(), e);
    }
  }

  SimpleGeneratorHostKeyProvider provider() {
    return provider;
  }

  /** {@code SHA256:…}, as {@code ssh-keygen -l} and OpenSSH's first-connection prompt show it. */
  String fingerprint() {
    return KeyUtils.getFingerPrint(pair.getPublic());
  }

  /** The key's SSH type, e.g. {@code ecdsa-sha2-nistp256}. */
  String type() {
    return KeyUtils.getKeyType(pair);
  }
}
