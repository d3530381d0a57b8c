package io.tether.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.CliProcess;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * The two ways a user reaches a device in a cluster, measured side by side: through the device's
 * own node, or through another node that relays to it. Measurements alternate between them.
 */
enum NodePaths {
  SAME_NODE("same node (CLI on node B, the device's node)"),
  RELAYED("relayed (CLI on node A, device on node B)");

  private final String description;

  NodePaths(String description) {
    this.description = description;
  }

  @Override
  public String toString() {
    return description;
  }

  /** One measurement of one path; {@code round} counts from 0. */
  interface Step {
    void run(NodePaths path, int round) throws Exception;
  }

  /**
   * Runs {@code step} on both paths {@code rounds} times in the order B A, A B, B A…, so that a
   * drift of the machine during a figure (load, JIT, GC) falls on both paths alike.
   */
  static void alternate(int rounds, Step step) throws Exception {
    for (int round = 0; round < rounds; round++) {
      NodePaths first = round % 2 == 0 ? SAME_NODE : RELAYED;
      step.run(first, round);
      step.run(first == SAME_NODE ? RELAYED : SAME_NODE, round);
    }
  }

  /** {@code value} for each path. */
  static <T> Map<NodePaths, T> each(Function<NodePaths, T> value) {
    Map<NodePaths, T> map = new EnumMap<>(NodePaths.class);
    for (NodePaths path : values()) {
      map.put(path, value.apply(path));
    }
    return map;
  }

  /** Latency samples per path, gathered round by round. */
  static final class Samples {
    private final Map<NodePaths, long[]> samples = each(p -> new long[0]);

    void add(NodePaths path, long[] more) {
      samples.merge(
          path, more, (a, b) -> LongStream.concat(LongStream.of(a), LongStream.of(b)).toArray());
    }

    /** Each path's figures, noted as {@code [label] path: …}; at least 100 samples each. */
    Map<NodePaths, Stats> stats(String label) {
      return each(
          path -> {
            long[] all = samples.get(path);
            assertTrue(all.length >= 100, path + ": only " + all.length + " samples");
            Stats stats = Stats.of(all);
            BenchReport.note(label, path + ": " + stats);
            return stats;
          });
    }
  }

  /** One CLI forward of a target per path; closes both. */
  static final class Forwards implements AutoCloseable {
    private final Map<NodePaths, CliProcess> clis = new EnumMap<>(NodePaths.class);

    /** Forwards of {@code target} through node B and through node A. */
    Forwards(ClusterRig cluster, String target) {
      clis.put(SAME_NODE, cluster.forward(cluster.nodeB(), target));
      clis.put(RELAYED, cluster.forward(cluster.nodeA(), target));
    }

    int port(NodePaths path) {
      return clis.get(path).port();
    }

    @Override
    public void close() {
      clis.values().forEach(CliProcess::close);
    }
  }
}
