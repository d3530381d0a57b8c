package io.tether.enroll;

import io.tether.api.ApiException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long an enrollment token lasts, as written in a request: 30m, 12h, 7d or ISO-8601. */
final class Lifetime {
  /** A token left lying around should not enroll devices for long; a day covers a rollout shift. */
  static final Duration DEFAULT = Duration.ofHours(24);

  /** Long rollouts mint new tokens rather than keep one alive for months. */
  static final Duration MAX = Duration.ofDays(30);

  static final Duration MIN = Duration.ofMinutes(1);

  private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([smhd])");

  private Lifetime() {}

  /**
   * The lifetime {@code text} names; 400 naming {@code expiresIn} when it is malformed or out of
   * range.
   */
  static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT;
    }
    Duration d = parseUnbounded(text.trim().toLowerCase(Locale.ROOT));
    if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
      throw ApiException.badRequest(
          "expiresIn", "expiresIn must be between 1 minute and 30 days (30d), was " + text);
    }
    return d;
  }

  private static Duration parseUnbounded(String text) {
    Matcher m = SHORT.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "expiresIn", "expiresIn must look like 30m, 12h or 7d (or ISO-8601 such as PT12H)");
    }
  }
}
