package io.tether.consolelog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.ConsoleMatches;
import io.tether.device.Device;
import io.tether.device.DeviceApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Matches the lines a device target printed against its group's console rules and raises {@code
 * console.match} (an audit entry, and the device's badge on the fleet page, live). The rules are
 * cached per group: reloaded when changed on this node, and at least every {@link #RELOAD_EVERY},
 * because the other nodes of a cluster change them in the shared database.
 */
@ApplicationScoped
public class ConsoleRuleBook {
  private static final Logger LOG = Logger.getLogger(ConsoleRuleBook.class);

  /**
   * How long a group's rules are used before they are read again (another node may change them).
   */
  static final Duration RELOAD_EVERY = Duration.ofSeconds(30);

  /** The audit entry carries this much of the matching line, as the badge does. */
  static final int MAX_REPORTED_LINE_CHARS = ConsoleMatches.MAX_LINE_CHARS;

  @Inject AuditLog audit;
  @Inject ConsoleMatches matches;

  private final RuleMatcher matcher = new RuleMatcher(new CooldownBook());
  private final Map<Long, Loaded> cache = new ConcurrentHashMap<>();

  /** A group's rules as read at {@code loadedAt} ({@link System#nanoTime}). */
  private record Loaded(List<CompiledRule> rules, long loadedAt) {}

  /** What scan needs of the device: its group and name, as they are now. */
  private record Target(long groupId, String deviceName) {}

  /**
   * Matches the lines a target of a device printed against its group's rules; raises console.match.
   * Called on a worker thread (it reads and writes the database); never throws for a failed write,
   * which is logged.
   */
  public void scan(long deviceId, String target, List<LogLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    Target device = QuarkusTransaction.requiringNew().call(() -> find(deviceId));
    if (device == null) {
      return;
    }
    List<CompiledRule> rules = rules(device.groupId());
    if (rules.isEmpty()) {
      return;
    }
    List<RuleMatcher.Raise> raises = matcher.match(deviceId, target, rules, lines);
    if (raises.isEmpty()) {
      return;
    }
    try {
      QuarkusTransaction.requiringNew().run(() -> raise(deviceId, device, target, raises));
    } catch (RuntimeException e) {
      LOG.warnf(
          "console.match of device %d/%s not stored (%d raises): %s",
          deviceId, target, raises.size(), e.getMessage());
    }
  }

  /** The audit entries, then the device's badge with the last of them. */
  private void raise(long deviceId, Target device, String target, List<RuleMatcher.Raise> raises) {
    for (RuleMatcher.Raise r : raises) {
      audit.record(
          Audit.by("device:" + device.deviceName(), null, null)
              .action("console.match")
              .subject(device.deviceName() + "/" + target)
              .device(deviceId)
              .detail(detail(r, target)));
    }
    RuleMatcher.Raise last = raises.get(raises.size() - 1);
    matches.show(
        deviceId,
        new DeviceApi.ConsoleMatch(
            last.rule().name(),
            last.rule().severity(),
            target,
            ConsoleMatches.cut(last.line().text()),
            last.line().at()));
  }

  /** The audit entry's detail: rule, severity, target, the line's time and the line. */
  static String detail(RuleMatcher.Raise r, String target) {
    String line = r.line().text();
    return "rule '"
        + r.rule().name()
        + "' ("
        + r.rule().severity()
        + ") on "
        + target
        + " at "
        + r.line().at()
        + (r.suppressed() > 0 ? ", " + r.suppressed() + " more matches during the cool-down" : "")
        + ": "
        + (line.length() > MAX_REPORTED_LINE_CHARS
            ? line.substring(0, MAX_REPORTED_LINE_CHARS) + "…"
            : line);
  }

  private static Target find(long deviceId) {
    return Device.findLive(deviceId).map(d -> new Target(d.group.id, d.name)).orElse(null);
  }

  /** The group's compiled rules, from the cache unless it is older than {@link #RELOAD_EVERY}. */
  List<CompiledRule> rules(long groupId) {
    Loaded loaded = cache.get(groupId);
    long now = System.nanoTime();
    if (loaded != null && now - loaded.loadedAt() < RELOAD_EVERY.toNanos()) {
      return loaded.rules();
    }
    List<CompiledRule> rules =
        QuarkusTransaction.requiringNew().call(() -> compile(ConsoleRules.of(groupId)));
    cache.put(groupId, new Loaded(rules, now));
    return rules;
  }

  /** Rules whose pattern does not compile (written by hand into the table) are left out. */
  private static List<CompiledRule> compile(List<ConsoleRule> stored) {
    List<CompiledRule> out = new ArrayList<>(stored.size());
    for (ConsoleRule r : stored) {
      try {
        out.add(
            new CompiledRule(
                r.id,
                r.name,
                r.severity,
                RulePattern.compile(r.pattern),
                Duration.ofSeconds(r.cooldownSeconds)));
      } catch (RulePattern.Invalid e) {
        LOG.warnf("console rule %d '%s' left out: %s", r.id, r.name, e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) ConsoleRules.RulesChanged e) {
    cache.remove(e.groupId());
  }
}
