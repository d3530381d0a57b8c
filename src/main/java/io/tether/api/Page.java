package io.tether.api;

import java.util.List;
import java.util.function.Function;

/** One page of a list: the items and the cursor of the next page (null at the end). */
public record Page<T>(List<T> items, String next) {
  public <R> Page<R> map(Function<T, R> mapper) {
    return new Page<>(items.stream().map(mapper).toList(), next);
  }

  public static <T> Page<T> all(List<T> items) {
    return new Page<>(items, null);
  }
}
