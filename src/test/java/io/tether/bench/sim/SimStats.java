package io.tether.bench.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulated fleet is doing, as one {@code key=value} line: gauges (online, connecting,
 * waiting) and counters of attempts and of every way a connection failed or ended.
 */
final class SimStats {
  final AtomicInteger online = new AtomicInteger();
  final AtomicInteger connecting = new AtomicInteger();
  final AtomicInteger waiting = new AtomicInteger();
  final LongAdder attempts = new LongAdder();
  final LongAdder welcomed = new LongAdder();

  /** Failures before a WebSocket existed, by kind: http401, http503, connect, timeout, ... */
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

  /** Tunnels that ended, by close code (1006 when the socket just dropped). */
  private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

  void failed(String kind) {
    failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void closed(int code) {
    closes.computeIfAbsent(code, k -> new LongAdder()).increment();
  }

  /** One report line; {@link SimulatorProcess} parses it back. */
  String line(long elapsedMillis) {
    StringBuilder b =
        new StringBuilder()
            .append("online=")
            .append(online.get())
            .append(" connecting=")
            .append(connecting.get())
            .append(" waiting=")
            .append(waiting.get())
            .append(" attempts=")
            .append(attempts.sum())
            .append(" welcomed=")
            .append(welcomed.sum());
    long failed = 0;
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(failures).entrySet()) {
      b.append(" fail.").append(e.getKey()).append('=').append(e.getValue().sum());
      failed += e.getValue().sum();
    }
    long closed = 0;
    for (Map.Entry<Integer, LongAdder> e : new TreeMap<>(closes).entrySet()) {
      b.append(" close.").append(e.getKey()).append('=').append(e.getValue().sum());
      closed += e.getValue().sum();
    }
    return b.append(" failed=")
        .append(failed)
        .append(" closed=")
        .append(closed)
        .append(" t=")
        .append(elapsedMillis)
        .toString();
  }
}
