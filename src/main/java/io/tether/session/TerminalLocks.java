package io.tether.session;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One terminal per device target on this node: never two OPENs on one serial port. A second user is
 * told who holds it (sharing comes with the sessions feature).
 */
@ApplicationScoped
public class TerminalLocks {
  /** Who holds a target: the user's name, and the terminal (identity) that holds it. */
  public record Holder(String username, Object terminal) {}

  private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();

  /** Takes the target; empty on success, else the current holder. */
  public Optional<Holder> acquire(long deviceId, String target, Holder holder) {
    return Optional.ofNullable(holders.putIfAbsent(key(deviceId, target), holder));
  }

  /** Releases the target if {@code holder} still holds it. */
  public void release(long deviceId, String target, Holder holder) {
    holders.remove(key(deviceId, target), holder);
  }

  private static String key(long deviceId, String target) {
    return deviceId + "/" + target;
  }
}
