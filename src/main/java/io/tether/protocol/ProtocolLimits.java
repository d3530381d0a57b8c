package io.tether.protocol;

/** Every size limit of the protocol, each with the reason it has the value it has. */
public final class ProtocolLimits {
  private ProtocolLimits() {}

  /** type(1) flags(1) reserved(2) channel(4) length(4). */
  public static final int HEADER_SIZE = 12;

  /** Largest payload of any frame: bounds every allocation a peer can cause. */
  public static final int MAX_PAYLOAD = 64 * 1024;

  /** DATA is sent in slices no larger than this, round-robin, so keystrokes pass bulk data. */
  public static final int DATA_SLICE = 16 * 1024;

  /** Initial credit per channel and direction: enough to fill a WAN pipe, small per channel. */
  public static final int DEFAULT_WINDOW = 256 * 1024;

  /**
   * How far a receiver grows a channel's window on a long round trip (a local rule, never on the
   * wire: growing is granting more credit): 8 MiB per 100 ms ≈ 80 MB/s for one channel.
   */
  public static final long GROWN_WINDOW_MAX = 8L << 20;

  /**
   * Bounds what one HELLO makes the portal parse and keep. 64 targets with 32-byte names and
   * descriptions of up to 200 bytes fit; 64 descriptions of the full MAX_STRING would not.
   */
  public static final int MAX_HELLO_BYTES = 16 * 1024;

  /** Targets one agent may offer: a device server has a handful of ports, not hundreds. */
  public static final int MAX_TARGETS = 64;

  /** Target names are identifiers users type: short. */
  public static final int MAX_TARGET_NAME = 32;

  /** Descriptions, details, reason messages and other free text. */
  public static final int MAX_STRING = 1024;

  /** The agent version is kept in devices.agent_version, a varchar(64): a longer one is refused. */
  public static final int MAX_AGENT_VERSION = 64;

  /** The instance id is kept in devices.agent_instance, a varchar(128): a longer one is refused. */
  public static final int MAX_INSTANCE_ID = 128;

  /** RFC 6455: a close frame's payload is at most 125 bytes, two of them the code. */
  public static final int MAX_CLOSE_REASON_BYTES = 123;

  /** Channels open at once on one tunnel: bounds per-tunnel memory (each holds a window). */
  public static final int MAX_CHANNELS_PER_TUNNEL = 256;

  /** OPENs awaiting OPENED/REFUSED: a slow agent cannot make the portal queue unboundedly. */
  public static final int MAX_PENDING_OPENS = 32;

  /** Recently closed channel ids remembered, so late DATA for them is dropped, not fatal. */
  public static final int RECENTLY_CLOSED_REMEMBERED = 1024;
}
