package io.tether.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * This node's stable identity and secret, generated into the data dir on first start. The node id
 * is what scale-out routes on; the secret keys HMACs of tokens and cookies and is never logged.
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

  /** 256 bits: the HMAC-SHA-256 key size. */
  static final int SECRET_BYTES = 32;

  private final String nodeId;
  private final byte[] secret;

  private NodeIdentity(String nodeId, byte[] secret) {
    this.nodeId = nodeId;
    this.secret = secret;
  }

  public static NodeIdentity loadOrCreate(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      String nodeId =
          new String(
                  readOrCreate(
                      dataDir.resolve(NODE_ID_FILE),
                      () -> UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)),
                  StandardCharsets.US_ASCII)
              .trim();
      byte[] encoded =
          readOrCreate(
              dataDir.resolve(SECRET_FILE),
              () -> {
                byte[] key = new byte[SECRET_BYTES];
                new SecureRandom().nextBytes(key);
                return Base64.getEncoder().encode(key);
              });
      byte[] secret =
          Base64.getDecoder().decode(new String(encoded, StandardCharsets.US_ASCII).trim());
      return new NodeIdentity(nodeId, secret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the node identity in " + dataDir, e);
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
