package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TunnelRegistryTest {
  private final TunnelRegistry registry = new TunnelRegistry();

  private record Fake(long deviceId, String instanceId, long generation) implements LiveTunnel {
    @Override
    public void close(int code, String reason) {}

    // the registry never opens channels or reports presence: these are not called here

    @Override
    public io.vertx.core.Context context() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void open(
        String target,
        java.util.Optional<io.tether.protocol.LineSettings> line,
        ChannelConsumer consumer,
        io.vertx.core.Context consumerContext) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PresenceWriter.State presence(boolean online) {
      throw new UnsupportedOperationException();
    }
  }

  private Fake tunnel(long device, String instance) {
    return new Fake(device, instance, registry.nextGeneration());
  }

  @Test
  void sameInstanceReconnectingReplacesTheOldTunnelAtOnce() {
    Fake old = tunnel(1, "a");
    Fake fresh = tunnel(1, "a");
    registry.register(old);
    var result = registry.register(fresh);
    TunnelRegistry.Registration.Accepted accepted =
        assertInstanceOf(TunnelRegistry.Registration.Accepted.class, result);
    assertSame(
        old, accepted.replaced().orElseThrow(), "the old tunnel must be handed back to close");
    assertSame(fresh, registry.get(1).orElseThrow());
  }

  @Test
  void lateRemovalOfAReplacedTunnelKeepsTheNewOne() {
    Fake old = tunnel(1, "a");
    Fake fresh = tunnel(1, "a");
    registry.register(old);
    registry.register(fresh);
    assertFalse(registry.remove(old), "compare-and-remove must not remove the successor");
    assertSame(fresh, registry.get(1).orElseThrow());
  }

  @Test
  void differentInstanceDoesNotDisplaceALiveTunnel() {
    Fake first = tunnel(1, "a");
    registry.register(first);
    var result = registry.register(tunnel(1, "cloned-sd-card"));
    assertSame(
        first, assertInstanceOf(TunnelRegistry.Registration.Duplicate.class, result).holder());
    assertSame(first, registry.get(1).orElseThrow());
  }

  @Test
  void generationsGrow() {
    long a = registry.nextGeneration();
    assertTrue(registry.nextGeneration() > a);
  }

  @Test
  void devicesAreIndependent() {
    registry.register(tunnel(1, "a"));
    registry.register(tunnel(2, "b"));
    assertEquals(2, registry.size());
  }
}
