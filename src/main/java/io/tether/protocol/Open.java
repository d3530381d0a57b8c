package io.tether.protocol;

import java.util.Optional;

/**
 * OPEN: a channel to a named target, optionally with serial settings. {@code takeOver} is only
 * meaningful from tether-cli to the portal (take control of the target's session); the portal never
 * sets it towards an agent.
 */
public record Open(String target, Optional<LineSettings> line, boolean takeOver) {
  /** The {@code options} byte: a line settings block follows. */
  public static final int HAS_LINE = 0x01;

  /** The {@code options} byte: take control of the target's session (CLI to portal only). */
  public static final int TAKE_OVER = 0x02;

  public Open(String target, Optional<LineSettings> line) {
    this(target, line, false);
  }

  public byte[] encode() {
    PayloadWriter w =
        new PayloadWriter()
            .str(target, ProtocolLimits.MAX_TARGET_NAME)
            .u8((line.isPresent() ? HAS_LINE : 0) | (takeOver ? TAKE_OVER : 0));
    line.ifPresent(l -> l.write(w));
    return w.toBytes();
  }

  public static Open decode(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "OPEN");
    String target = r.str(ProtocolLimits.MAX_TARGET_NAME, "target");
    if (!Hello.validTargetName(target)) {
      throw new ProtocolException("OPEN: invalid target name '" + target + "'");
    }
    int options = r.u8();
    if ((options & ~(HAS_LINE | TAKE_OVER)) != 0) {
      throw new ProtocolException("OPEN: options may only set bits 0x01 and 0x02");
    }
    Optional<LineSettings> line =
        (options & HAS_LINE) != 0 ? Optional.of(LineSettings.read(r)) : Optional.empty();
    r.end();
    return new Open(target, line, (options & TAKE_OVER) != 0);
  }
}
