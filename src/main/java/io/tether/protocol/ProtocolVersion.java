package io.tether.protocol;

/** The protocol version spoken here, and the message that says who must upgrade. */
public final class ProtocolVersion {
  public static final int CURRENT = 1;

  /** The WebSocket subprotocol name of this version. */
  public static final String SUBPROTOCOL = "tether.v1";

  private ProtocolVersion() {}

  /** E.g. "agent speaks v2, portal v1: upgrade the portal". */
  public static String mismatch(int agentVersion) {
    String side = agentVersion > CURRENT ? "the portal" : "the agent";
    return "agent speaks v" + agentVersion + ", portal v" + CURRENT + ": upgrade " + side;
  }
}
