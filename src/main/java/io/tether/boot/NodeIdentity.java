package io.tether.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * This node's stable identity and secret, generated into the data dir on first start. The node id
 * is what scale-out routes on; the secret keys HMACs of tokens and cookies and is never logged.
 * With {@code TETHER_SECRET_KEY_FILE} the secret is read from that file instead (one file shared by
 * every node of a cluster), and none is written into the data dir.
 */
public final class NodeIdentity {
  public static final String NODE_ID_FILE = "node-id";
  public static final String SECRET_FILE = "secret.key";

  /**
   * Prefix of the JDBC {@code ApplicationName} every portal connects with, followed by its node id:
   * a live node is then visible to anyone on its database in {@code pg_stat_activity} (restore
   * refuses to bring back a node id that is live).
   */
  public static final String CONNECTION_NAME_PREFIX = "tether-portal node ";

  /** PostgreSQL keeps NAMEDATALEN - 1 bytes of an application name, cutting off the rest. */
  public static final int APPLICATION_NAME_BYTES = 63;

  /** 256 bits: the HMAC-SHA-256 key size. */
  static final int SECRET_BYTES = 32;

  private final String nodeId;
  private final byte[] secret;

  private NodeIdentity(String nodeId, byte[] secret) {
    this.nodeId = nodeId;
    this.secret = secret;
  }

  /**
   * The data dir's node id (created on first start), and the secret from {@code secretKeyFile} when
   * given, else from the data dir's {@value #SECRET_FILE} (created on first start).
   */
  public static NodeIdentity loadOrCreate(Path dataDir, Optional<Path> secretKeyFile) {
    try {
      Files.createDirectories(dataDir);
      String nodeId =
          new String(
                  readOrCreate(
                      dataDir.resolve(NODE_ID_FILE),
                      () -> UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)),
                  StandardCharsets.US_ASCII)
              .trim();
      byte[] secret =
          secretKeyFile.isPresent()
              ? sharedSecret(secretKeyFile.get(), dataDir.resolve(SECRET_FILE))
              : ownSecret(dataDir.resolve(SECRET_FILE));
      return new NodeIdentity(nodeId, secret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the node identity in " + dataDir, e);
    }
  }

  /** Where the secret is read from: {@code secretKeyFile} when given, else the data dir's. */
  public static Path secretFile(Path dataDir, Optional<Path> secretKeyFile) {
    return secretKeyFile.orElse(dataDir.resolve(SECRET_FILE));
  }

  /**
   * The key in a {@value #SECRET_FILE}: {@value #SECRET_BYTES} bytes in base64, as the portal
   * writes it (surrounding white space is fine); IllegalArgumentException saying what is wrong
   * otherwise.
   */
  public static byte[] decodeSecret(byte[] content) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not base64 (a secret.key holds " + SECRET_BYTES + " random bytes in base64)");
    }
    if (key.length != SECRET_BYTES) {
      throw new IllegalArgumentException(
          "holds " + key.length + " bytes, a secret.key holds " + SECRET_BYTES + " (in base64)");
    }
    return key;
  }

  private static byte[] ownSecret(Path file) throws IOException {
    byte[] content =
        readOrCreate(
            file,
            () -> {
              byte[] key = new byte[SECRET_BYTES];
              new SecureRandom().nextBytes(key);
              return Base64.getEncoder().encode(key);
            });
    try {
      return decodeSecret(content);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not a valid secret.key: " + e.getMessage());
    }
  }

  /**
   * The key of {@code TETHER_SECRET_KEY_FILE} (its format checked as the setting's was). A key left
   * in the data dir that differs from it is refused: tokens hashed under one match nothing under
   * the other, and which one the operator meant is theirs to say.
   */
  private static byte[] sharedSecret(Path file, Path leftover) throws IOException {
    byte[] key;
    try {
      key = decodeSecret(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new SettingException(
          Setting.SECRET_KEY_FILE.variable(), file + " is not a secret.key: " + e.getMessage());
    }
    if (Files.exists(leftover) && !sameKey(key, Files.readAllBytes(leftover))) {
      throw new SettingException(
          Setting.SECRET_KEY_FILE.variable(),
          file
              + " holds another key than "
              + leftover
              + ": tokens hashed with one match nothing under the other; delete "
              + leftover
              + " if "
              + file
              + " holds the key to keep");
    }
    return key;
  }

  private static boolean sameKey(byte[] key, byte[] otherContent) {
    try {
      return MessageDigest.isEqual(key, decodeSecret(otherContent));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public String nodeId() {
    return nodeId;
  }

  /** The {@code ApplicationName} of this node's database connections. */
  public static String connectionName(String nodeId) {
    return CONNECTION_NAME_PREFIX + nodeId;
  }

  /** A copy of the node secret; callers derive keys from it and keep it out of logs. */
  public byte[] secret() {
    return secret.clone();
  }

  /**
   * {@code HMAC-SHA-256(secret, "tether-fingerprint")} in hex: every node of a cluster records it,
   * so a node started with another {@code secret.key} (whose token hashes would match nothing) is
   * refused. Says nothing about the key itself.
   */
  public String fingerprint() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal("tether-fingerprint".getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private interface Content {
    byte[] make();
  }

  private static byte[] readOrCreate(Path file, Content content) throws IOException {
    if (Files.exists(file)) {
      return Files.readAllBytes(file);
    }
    byte[] bytes = content.make();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return bytes;
  }

  @Override
  public String toString() {
    return "NodeIdentity[" + nodeId + "]";
  }
}
