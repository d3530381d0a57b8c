package io.tether.tunnel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tunnel's life events in a unit test, in the order the tunnel reported them. */
final class RecordedEvents implements TunnelEvents {
  /** One reported event, as text: {@code connected}, {@code disconnected 1000 bye}, … */
  final List<String> seen = new CopyOnWriteArrayList<>();

  @Override
  public void connected(TunnelConnection tunnel) {
    seen.add("connected");
  }

  @Override
  public void disconnected(TunnelConnection tunnel, int code, String reason) {
    seen.add("disconnected " + code + " " + reason);
  }

  @Override
  public void duplicate(TunnelConnection refused, LiveTunnel holder) {
    seen.add("duplicate of " + holder.instanceId());
  }

  @Override
  public void upgradeFailed(TunnelConnection tunnel, String reason) {
    seen.add("upgrade failed: " + reason);
  }

  @Override
  public void presenceChanged(LiveTunnel tunnel) {
    seen.add("presence");
  }
}
