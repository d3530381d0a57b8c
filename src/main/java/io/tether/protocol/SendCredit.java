package io.tether.protocol;

/**
 * The sending side of one channel direction: how many bytes may still be sent before the receiver
 * grants more. Single-threaded: owned by the tunnel's event loop (or the agent's channel lock).
 */
public final class SendCredit {
  private long available;

  public SendCredit(long initialWindow) {
    this.available = initialWindow;
  }

  public long available() {
    return available;
  }

  /** Takes up to {@code wanted} bytes of credit; returns how many may be sent now. */
  public int take(int wanted) {
    int n = (int) Math.min(wanted, available);
    available -= n;
    return n;
  }

  public void grant(long bytes) {
    available += bytes;
  }
}
