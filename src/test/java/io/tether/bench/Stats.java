package io.tether.bench;

import java.util.Arrays;

/** p50 / p99 / max of latency samples in nanoseconds (nearest-rank percentiles). */
public record Stats(int count, long p50, long p99, long max) {
  public static Stats of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Stats(
        sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
  }

  /** The first {@code count} samples of {@code nanos}. */
  public static Stats of(long[] nanos, int count) {
    return of(Arrays.copyOf(nanos, count));
  }

  private static long rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Milliseconds with three decimals, e.g. "0.412 ms". */
  public static String ms(long nanos) {
    return String.format("%.3f ms", nanos / 1e6);
  }

  @Override
  public String toString() {
    return "p50 " + ms(p50) + ", p99 " + ms(p99) + ", max " + ms(max) + " (n=" + count + ")";
  }
}
