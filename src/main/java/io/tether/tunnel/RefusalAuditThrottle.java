package io.tether.tunnel;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits audit entries for refused tunnel connects to one per address per minute: a misconfigured
 * agent retrying forever must not fill the audit log (the metric still counts every refusal).
 */
@ApplicationScoped
public class RefusalAuditThrottle {
  static final long INTERVAL_MILLIS = 60_000;

  /** Addresses remembered; beyond this the map is cleared (worst case: a few extra entries). */
  static final int MAX_TRACKED = 10_000;

  private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

  public boolean allow(String address) {
    long now = System.currentTimeMillis();
    if (last.size() > MAX_TRACKED) {
      last.clear();
    }
    Long previous = last.put(address, now);
    return previous == null || now - previous >= INTERVAL_MILLIS;
  }
}
