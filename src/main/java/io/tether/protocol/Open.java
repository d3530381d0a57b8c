package io.tether.protocol;

import java.util.Optional;

/** OPEN (portal to agent): a channel to a named target, optionally with serial settings. */
public record Open(String target, Optional<LineSettings> line) {
  public byte[] encode() {
    PayloadWriter w =
        new PayloadWriter()
            .str(target, ProtocolLimits.MAX_TARGET_NAME)
            .u8(line.isPresent() ? 1 : 0);
    line.ifPresent(l -> l.write(w));
    return w.toBytes();
  }

  public static Open decode(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "OPEN");
    String target = r.str(ProtocolLimits.MAX_TARGET_NAME, "target");
    if (!Hello.validTargetName(target)) {
      throw new ProtocolException("OPEN: invalid target name '" + target + "'");
    }
    int hasLine = r.u8();
    if (hasLine > 1) {
      throw new ProtocolException("OPEN: hasLine must be 0 or 1");
    }
    Optional<LineSettings> line =
        hasLine == 1 ? Optional.of(LineSettings.read(r)) : Optional.empty();
    r.end();
    return new Open(target, line);
  }
}
