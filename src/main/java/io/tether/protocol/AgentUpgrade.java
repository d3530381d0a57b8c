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

  /**
   * How the reason of the close (1001) starts with which an agent ends its tunnel to restart on the
   * upgraded jar, followed by the version: the portal tells a rollback (the agent did restart on
   * it) from an upgrade never applied (the tunnel ended otherwise).
   */
  public static final String RESTARTING = "restarting for an upgrade to ";

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

  /** The UPGRADE payload: str version, u64 size, 32 bytes SHA-256, 64 bytes signature. */
  public byte[] encode() {
    return new PayloadWriter()
        .str(version, ProtocolLimits.MAX_AGENT_VERSION)
        .u64(size)
        .bytes(sha256)
        .bytes(signature)
        .toBytes();
  }

  public static AgentUpgrade decode(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "UPGRADE");
    String version = r.str(ProtocolLimits.MAX_AGENT_VERSION, "version");
    PeerText.requireNoControl(version, "UPGRADE", "version");
    if (version.isBlank()) {
      throw new ProtocolException("UPGRADE: the version is empty");
    }
    long size = r.u64();
    if (size < 1 || size > MAX_JAR_BYTES) {
      throw new ProtocolException(
          TunnelCloseCode.LIMIT_EXCEEDED,
          "UPGRADE: a jar of " + size + " bytes (1 … " + MAX_JAR_BYTES + " accepted)");
    }
    AgentUpgrade offer =
        new AgentUpgrade(version, size, r.bytes(SHA256_BYTES), r.bytes(SIGNATURE_BYTES));
    r.end();
    return offer;
  }

  /** The UPGRADE_FAILED payload: str reason, 0 … 1024 bytes (cut to 256 characters). */
  public static byte[] failed(String reason) {
    String r = reason.length() > 256 ? reason.substring(0, 256) : reason;
    return new PayloadWriter().str(r, ProtocolLimits.MAX_STRING).toBytes();
  }

  /** The reason of an UPGRADE_FAILED, control characters replaced (it is logged and audited). */
  public static String failedReason(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "UPGRADE_FAILED");
    String reason = r.str(ProtocolLimits.MAX_STRING, "reason");
    r.end();
    return PeerText.replaceControls(reason);
  }
}
