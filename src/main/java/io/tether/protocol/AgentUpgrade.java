package io.tether.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * What the portal vouches for when it offers its agent jar: the jar's version, size and SHA-256.
 * The portal signs {@link #statement} with its agent signing key (Ed25519); an agent checks the
 * signature with the key it was installed with before it runs the jar. docs/protocol.md, section
 * 15.
 */
public record AgentUpgrade(String version, long size, byte[] sha256, byte[] signature) {
  /** Length of a SHA-256 digest. */
  public static final int SHA256_BYTES = 32;

  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;

  /**
   * The largest jar an agent accepts: the agent jar is about 1 MiB; 32 MiB leaves room for growth
   * and still bounds what a device downloads onto its flash.
   */
  public static final long MAX_JAR_BYTES = 32L << 20;

  /** The first line of every statement: says what is signed, so the key signs nothing else. */
  static final String STATEMENT_HEADER = "tether-agent-upgrade v1";

  /**
   * The bytes the signature covers, ASCII: {@code tether-agent-upgrade v1\nversion=V\nsize=N\n
   * sha256=HEX\n} (lower-case hex).
   */
  public static byte[] statement(String version, long size, byte[] sha256) {
    return (STATEMENT_HEADER
            + "\nversion="
            + version
            + "\nsize="
            + size
            + "\nsha256="
            + HexFormat.of().formatHex(sha256)
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  public byte[] statement() {
    return statement(version, size, sha256);
  }
}
