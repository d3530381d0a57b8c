package io.tether.api;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Keyset paging by descending or ascending id: the cursor is the last id seen. Stable under
 * inserts, cheap on large tables.
 */
public record PageRequest(Long after, int limit) {
  public static final int DEFAULT_LIMIT = 50;

  /** Bounds the work and memory one request can cause. */
  public static final int MAX_LIMIT = 200;

  public static PageRequest of(String cursor, Integer limit) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw ApiException.badRequest("limit", "limit must be between 1 and " + MAX_LIMIT);
    }
    Long after = null;
    if (cursor != null && !cursor.isBlank()) {
      try {
        after = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("cursor", "cursor is not one this API gave out");
      }
    }
    return new PageRequest(after, size);
  }

  /** Given up to limit+1 rows, the page of the first limit and the cursor if there were more. */
  public <T> Page<T> page(List<T> rowsPlusOne, ToLongFunction<T> id) {
    if (rowsPlusOne.size() <= limit) {
      return new Page<>(rowsPlusOne, null);
    }
    List<T> items = rowsPlusOne.subList(0, limit);
    return new Page<>(List.copyOf(items), Long.toString(id.applyAsLong(items.get(limit - 1))));
  }
}
