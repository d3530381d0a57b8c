package io.tether.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The times the API accepts: years 1 to 9999, which PostgreSQL stores (its timestamptz ends in
 * 294276), a browser's {@code Date} shows (it ends in 275760) and ISO-8601 writes without a sign.
 */
public final class StoredTimes {
  public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /** What a refused time is told: the same words for a body field and a query parameter. */
  static final String RANGE_RULE = "must be a time between the years 1 and 9999";

  private StoredTimes() {}

  public static boolean storable(Instant t) {
    return !t.isBefore(MIN) && !t.isAfter(MAX);
  }

  /** The ISO-8601 time in query parameter {@code field}, or null when absent; 400 naming it. */
  public static Instant parseQuery(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Instant t;
    try {
      t = Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          field, field + " must be an ISO-8601 time such as 2026-11-25T12:00:00Z");
    }
    if (!storable(t)) {
      throw ApiException.badRequest(field, field + " " + RANGE_RULE);
    }
    return t;
  }

  /**
   * A timestamptz as the JDBC driver and Hibernate hand it over (native queries), as an Instant.
   */
  public static Instant instant(Object value) {
    if (value == null || value instanceof Instant) {
      return (Instant) value;
    }
    if (value instanceof java.time.OffsetDateTime t) {
      return t.toInstant();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("a time of type " + value.getClass());
  }
}
