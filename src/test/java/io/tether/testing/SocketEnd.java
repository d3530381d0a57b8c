package io.tether.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/** Whether the portal closed a plain TCP connection (link and ingress port tests). */
public final class SocketEnd {
  /** {@link #readOrEnd} when the socket's read timeout passed: the connection is still open. */
  public static final int STILL_OPEN = -2;

  private SocketEnd() {}

  /**
   * The next byte; -1 when the connection was closed (a reset counts as closed); {@link
   * #STILL_OPEN} when nothing came within the socket's read timeout.
   */
  public static int readOrEnd(InputStream in) {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return STILL_OPEN;
    } catch (IOException e) {
      return -1;
    }
  }
}
