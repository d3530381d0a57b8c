package io.tether.webhook;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which event types an endpoint takes: exact types ({@code device.online}), prefixes ({@code
 * device.*}), or everything ({@code *}). Audit actions are open-ended, so any well-formed {@code
 * audit.<action>} is accepted; any other name must be a type the portal raises.
 */
public record EventFilter(List<String> patterns) {
  /** Every type this portal raises apart from {@code audit.<action>} (docs/webhooks.md). */
  public static final Set<String> TYPES =
      Set.of(
          "device.online",
          "device.offline",
          "device.flapping",
          "device.created",
          "device.deleted",
          "device.token-rotated",
          "device.duplicate-agent",
          "device.target-status",
          "session.started",
          "session.ended",
          "session.take-over",
          "session.recording-failed",
          "link.refused",
          "ingress.refused",
          "auth.locked-out",
          "auth.mfa-locked",
          "auth.login-failed-burst",
          "portal.restarted",
          "node.down",
          "node.devices-missing");

  /** The prefixes a pattern may end in {@code .*} after. */
  static final Set<String> FAMILIES =
      Set.of("device", "session", "link", "ingress", "auth", "portal", "node", "audit");

  private static final Pattern AUDIT_TYPE = Pattern.compile("audit\\.[a-z0-9][a-z0-9.-]{0,63}");

  /** Null when {@code pattern} names something that exists, else why not. */
  public static String problem(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      return "an event type must not be blank";
    }
    if (pattern.equals("*") || TYPES.contains(pattern) || AUDIT_TYPE.matcher(pattern).matches()) {
      return null;
    }
    if (pattern.endsWith(".*") && FAMILIES.contains(pattern.substring(0, pattern.length() - 2))) {
      return null;
    }
    return "unknown event type '"
        + pattern
        + "': one of "
        + String.join(", ", new java.util.TreeSet<>(TYPES))
        + ", audit.<action>, device.*, session.*, link.*, ingress.*, auth.*, portal.*, node.*,"
        + " audit.* or *";
  }

  public boolean matches(String type) {
    for (String p : patterns) {
      if (p.equals("*") || p.equals(type)) {
        return true;
      }
      if (p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
