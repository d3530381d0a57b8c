package io.tether.eventrule;

import io.tether.boot.TetherConfig;
import java.time.Duration;

/**
 * How long a drop waits before it is {@code device.offline}: the group's own grace when it set one,
 * else the deployment's ({@code TETHER_OFFLINE_GRACE}); a grace of zero reports the drop at once.
 * Settings of one node, passed to the statements that need them.
 */
public record OfflineGrace(Duration deploymentDefault, FlappingRule flapping) {
  /** The deployment's settings. */
  public static OfflineGrace of(TetherConfig.Alerts settings) {
    return new OfflineGrace(settings.offlineGrace(), new FlappingRule(settings.flappingDrops()));
  }

  /** The grace of a device whose group says {@code groupSeconds} (null: the deployment's). */
  public Duration forGroup(Integer groupSeconds) {
    return groupSeconds == null ? deploymentDefault : Duration.ofSeconds(groupSeconds);
  }

  /** Whether a drop under this grace is reported at once, with no pending row. */
  public static boolean immediate(Duration grace) {
    return grace.isZero() || grace.isNegative();
  }

  /** The deployment's grace in whole seconds, at least one (batches of a node use it). */
  public long batchSeconds() {
    return Math.max(1, deploymentDefault.toSeconds());
  }
}
