package io.tether.tunnel;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live tunnels on this node, by device: the truth for "online" here. Entries carry a
 * per-connection generation; removal is compare-and-remove, so the late close of a replaced tunnel
 * never unregisters its successor.
 */
@ApplicationScoped
public class TunnelRegistry {
  private final ConcurrentHashMap<Long, LiveTunnel> byDevice = new ConcurrentHashMap<>();

  /** Seeded from the clock so generations keep growing across restarts of the node. */
  private final AtomicLong generations = new AtomicLong(System.currentTimeMillis() * 1000);

  /** Outcome of a registration attempt. */
  public sealed interface Registration {
    /** Registered; {@code replaced} is the previous tunnel of the same agent, to be closed. */
    record Accepted(Optional<LiveTunnel> replaced) implements Registration {}

    /** Refused: another installation (different instance id) holds the device. */
    record Duplicate(LiveTunnel holder) implements Registration {}
  }

  public long nextGeneration() {
    return generations.incrementAndGet();
  }

  /**
   * Registers a tunnel. The same agent installation reconnecting replaces its old tunnel at once
   * (the old socket is closed, never waited on); a different installation does not displace a live
   * one.
   */
  public Registration register(LiveTunnel tunnel) {
    Registration[] result = new Registration[1];
    byDevice.compute(
        tunnel.deviceId(),
        (id, current) -> {
          if (current == null) {
            result[0] = new Registration.Accepted(Optional.empty());
            return tunnel;
          }
          if (current.instanceId().equals(tunnel.instanceId())) {
            result[0] = new Registration.Accepted(Optional.of(current));
            return tunnel;
          }
          result[0] = new Registration.Duplicate(current);
          return current;
        });
    return result[0];
  }

  /** Removes exactly this tunnel; false when another one has taken its place meanwhile. */
  public boolean remove(LiveTunnel tunnel) {
    return byDevice.remove(tunnel.deviceId(), tunnel);
  }

  public Optional<LiveTunnel> get(long deviceId) {
    return Optional.ofNullable(byDevice.get(deviceId));
  }

  public Collection<LiveTunnel> all() {
    return byDevice.values();
  }

  public int size() {
    return byDevice.size();
  }
}
