package io.tether.protocol;

import java.util.Arrays;
import java.util.Locale;

/**
 * What an agent can do beyond v1, told in a header of its WebSocket upgrade request (section 2):
 * HELLO has no room for it, since a v1 portal refuses a HELLO with trailing bytes, while every
 * portal ignores a header it does not know.
 */
public final class AgentCapabilities {
  /** The request header: comma-separated capability names; unknown names are ignored. */
  public static final String HEADER = "X-Tether-Agent-Capabilities";

  /** The agent understands UPGRADE and answers it (section 15). */
  public static final String UPGRADE = "upgrade";

  /** A longer header is not read: every name there is now fits many times over. */
  static final int MAX_HEADER_CHARS = 256;

  private AgentCapabilities() {}

  /** Whether {@code header} (null when absent) names {@code capability}. */
  public static boolean offers(String header, String capability) {
    if (header == null || header.length() > MAX_HEADER_CHARS) {
      return false;
    }
    return Arrays.stream(header.split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT))
        .anyMatch(capability::equals);
  }
}
