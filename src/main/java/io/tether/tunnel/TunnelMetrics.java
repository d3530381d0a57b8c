package io.tether.tunnel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tunnel metrics, node-wide only: no per-device labels (cardinality stays fixed). Created at start
 * so its gauges are scraped from the first moment, not only once a channel has used this bean.
 */
@ApplicationScoped
@Startup
public class TunnelMetrics {
  private final AtomicInteger channelsOpen = new AtomicInteger();
  private final Counter bytesFromDevice;
  private final Counter bytesToDevice;
  private final Counter protocolErrors;
  private final MeterRegistry registry;

  @Inject
  public TunnelMetrics(MeterRegistry registry, TunnelRegistry tunnels, NodeBudget budget) {
    this.registry = registry;
    registry.gauge("tether.node.buffered.bytes", budget, NodeBudget::held);
    registry.gauge("tether.node.window.growth.bytes", budget, NodeBudget::grown);
    // the bound buffered bytes are held to: an alert compares the two (deploy/prometheus)
    registry.gauge("tether.node.buffer.limit.bytes", budget, NodeBudget::limit);
    registry.gauge("tether.tunnels.online", tunnels, TunnelRegistry::size);
    registry.gauge("tether.channels.open", channelsOpen);
    bytesFromDevice = registry.counter("tether.channel.bytes", "direction", "from-device");
    bytesToDevice = registry.counter("tether.channel.bytes", "direction", "to-device");
    protocolErrors = registry.counter("tether.tunnel.protocol.errors");
  }

  void channelOpened() {
    channelsOpen.incrementAndGet();
  }

  void channelClosed() {
    channelsOpen.decrementAndGet();
  }

  void bytesFromDevice(int n) {
    bytesFromDevice.increment(n);
  }

  void bytesToDevice(int n) {
    bytesToDevice.increment(n);
  }

  void protocolError() {
    protocolErrors.increment();
  }

  /** A connect refused before or during the handshake, by reason (bad-token, duplicate, ...). */
  void refused(String reason) {
    registry.counter("tether.tunnel.refused", "reason", reason).increment();
  }
}
