package io.tether.protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** HELLO (agent to portal): who the agent is and which targets it offers. */
public record Hello(int version, String agentVersion, String instanceId, List<Target> targets) {
  /** A target as offered: name, kind, human description. */
  public record Target(String name, TargetKind kind, String description) {}

  private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

  /** Instance ids identify an installation; bounded by the column that keeps them. */
  static final int MAX_INSTANCE_ID = ProtocolLimits.MAX_INSTANCE_ID;

  public byte[] encode() {
    PayloadWriter w =
        new PayloadWriter()
            .u16(version)
            .str(agentVersion, ProtocolLimits.MAX_AGENT_VERSION)
            .str(instanceId, MAX_INSTANCE_ID)
            .u16(targets.size());
    for (Target t : targets) {
      w.str(t.name(), ProtocolLimits.MAX_TARGET_NAME)
          .u8(t.kind().code())
          .str(t.description(), ProtocolLimits.MAX_STRING);
    }
    return w.toBytes();
  }

  /**
   * Decodes a HELLO. The version is the first field in every protocol version, so a HELLO of
   * another version whose layout this side cannot parse still yields {@code unsupported-version}
   * with a message that says which side to upgrade, not a bare protocol error.
   */
  public static Hello decode(byte[] payload) throws ProtocolException {
    try {
      return parse(payload);
    } catch (ProtocolException e) {
      if (payload.length >= 2) {
        int version = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (version != ProtocolVersion.CURRENT) {
          throw new ProtocolException(
              TunnelCloseCode.UNSUPPORTED_VERSION, ProtocolVersion.mismatch(version));
        }
      }
      throw e;
    }
  }

  private static Hello parse(byte[] payload) throws ProtocolException {
    if (payload.length > ProtocolLimits.MAX_HELLO_BYTES) {
      throw new ProtocolException(
          TunnelCloseCode.LIMIT_EXCEEDED,
          "HELLO of " + payload.length + " bytes exceeds " + ProtocolLimits.MAX_HELLO_BYTES);
    }
    PayloadReader r = new PayloadReader(payload, "HELLO");
    int version = r.u16();
    String agentVersion = r.str(ProtocolLimits.MAX_AGENT_VERSION, "agent version");
    PeerText.requireNoControl(agentVersion, "HELLO", "agent version");
    String instanceId = r.str(MAX_INSTANCE_ID, "instance id");
    PeerText.requireNoControl(instanceId, "HELLO", "instance id");
    if (instanceId.isBlank()) {
      throw new ProtocolException("HELLO: the instance id is empty");
    }
    int count = r.u16();
    if (count > ProtocolLimits.MAX_TARGETS) {
      throw new ProtocolException(
          TunnelCloseCode.LIMIT_EXCEEDED,
          "HELLO offers " + count + " targets, more than " + ProtocolLimits.MAX_TARGETS);
    }
    List<Target> targets = new ArrayList<>(count);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < count; i++) {
      String name = r.str(ProtocolLimits.MAX_TARGET_NAME, "target name");
      if (!TARGET_NAME.matcher(name).matches()) {
        throw new ProtocolException("HELLO: invalid target name '" + name + "'");
      }
      if (!names.add(name)) {
        throw new ProtocolException("HELLO: target '" + name + "' is offered twice");
      }
      TargetKind kind = TargetKind.fromCode(r.u8());
      String description = r.str(ProtocolLimits.MAX_STRING, "description");
      PeerText.requireNoControl(description, "HELLO", "description of " + name);
      targets.add(new Target(name, kind, description));
    }
    r.end();
    return new Hello(version, agentVersion, instanceId, List.copyOf(targets));
  }

  public static boolean validTargetName(String name) {
    return name != null && TARGET_NAME.matcher(name).matches();
  }
}
