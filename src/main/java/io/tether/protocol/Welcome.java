package io.tether.protocol;

/** WELCOME (portal to agent): the accepted version and the tunnel's parameters. */
public record Welcome(
    int version,
    long windowBytes,
    long maxPayload,
    long heartbeatMillis,
    long deadAfterMillis,
    long capabilities) {

  public byte[] encode() {
    return new PayloadWriter()
        .u16(version)
        .u32(windowBytes)
        .u32(maxPayload)
        .u32(heartbeatMillis)
        .u32(deadAfterMillis)
        .u32(capabilities)
        .toBytes();
  }

  public static Welcome decode(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "WELCOME");
    Welcome w = new Welcome(r.u16(), r.u32(), r.u32(), r.u32(), r.u32(), r.u32());
    r.end();
    if (w.windowBytes() < 1
        || w.heartbeatMillis() < 1
        || w.deadAfterMillis() < w.heartbeatMillis()) {
      throw new ProtocolException(
          "WELCOME: window and timers must be positive, dead-after >= heartbeat");
    }
    return w;
  }
}
