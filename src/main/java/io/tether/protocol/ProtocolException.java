package io.tether.protocol;

/** A peer broke a protocol rule; the close code says how to close the tunnel. */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final TunnelCloseCode closeCode;

  public ProtocolException(TunnelCloseCode closeCode, String rule) {
    super(rule);
    this.closeCode = closeCode;
  }

  public ProtocolException(String rule) {
    this(TunnelCloseCode.PROTOCOL_ERROR, rule);
  }

  public TunnelCloseCode closeCode() {
    return closeCode;
  }
}
