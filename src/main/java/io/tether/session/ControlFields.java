package io.tether.session;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/**
 * Typed reads of a browser's control message. A field of the wrong type or out of range is an
 * {@link IllegalArgumentException} naming the field, answered with one {@code error} message: a
 * client's mistake, never a stack trace in the portal's log (JsonObject's own getters throw
 * ClassCastException, and truncate numbers too large for the type).
 */
final class ControlFields {
  private ControlFields() {}

  /** The string {@code field}, or {@code fallback} when it is absent or null. */
  static String string(JsonObject msg, String field, String fallback) {
    Object value = msg.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string");
    }
    return s;
  }

  /** The whole number {@code field} within min … max, or {@code fallback} when absent or null. */
  static int integer(JsonObject msg, String field, int min, int max, int fallback) {
    Object value = msg.getValue(field);
    if (value == null) {
      return fallback;
    }
    String range = "\"" + field + "\" must be a whole number from " + min + " to " + max;
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(range);
    }
    BigDecimal exact;
    try {
      exact = new BigDecimal(n.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(range); // NaN or infinite
    }
    if (exact.compareTo(BigDecimal.valueOf(min)) < 0
        || exact.compareTo(BigDecimal.valueOf(max)) > 0
        || exact.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(range);
    }
    return exact.intValueExact();
  }
}
