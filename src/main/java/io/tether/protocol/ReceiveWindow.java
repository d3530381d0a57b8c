package io.tether.protocol;

/**
 * The receiving side of one channel direction: data received but not yet delivered downstream never
 * exceeds the window (a peer that sends beyond its credit breaks the protocol), and credit is
 * granted back in batches: once at least half a window has been delivered, or as soon as everything
 * received has been delivered. The second rule matters where credit is passed on end to end (the
 * portal between an agent and a CLI releases a device's bytes only when the CLI grants for all of
 * them): without it, two half-window thresholds in a row can each wait for the other.
 */
public final class ReceiveWindow {
  private final long window;
  private long granted;
  private long received;
  private long owed;

  public ReceiveWindow(long window) {
    this.window = window;
    this.granted = window;
  }

  /** Records received DATA; more than the credit granted so far is a protocol error. */
  public void onReceived(int bytes) throws ProtocolException {
    received += bytes;
    if (received > granted) {
      throw new ProtocolException(
          TunnelCloseCode.CREDIT_EXCEEDED,
          "DATA beyond the granted credit (" + (received - granted) + " bytes over)");
    }
  }

  /**
   * Records bytes delivered downstream (the write completed); returns the credit to grant now, or 0
   * while less than half a window is owed (keeps CREDIT frames rare).
   */
  public long onDelivered(long bytes) {
    owed += bytes;
    if (owed >= window / 2) {
      long grant = owed;
      owed = 0;
      granted += grant;
      return grant;
    }
    return 0;
  }

  /** Everything owed, to grant now (0 if nothing is): for a receiver whose consumer is idle. */
  public long flush() {
    long grant = owed;
    owed = 0;
    granted += grant;
    return grant;
  }

  /** Delivered bytes not yet granted back. */
  public long owed() {
    return owed;
  }

  /** Bytes received and not yet delivered: what this side holds for the channel. */
  public long buffered() {
    return received - (granted - window) - owed;
  }
}
