package io.tether.user;

import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits password guessing before any hash is computed: failures per (account, client address) lock
 * that pair, so an attacker elsewhere cannot lock the real user out; and a rate per client address,
 * so one address cannot burn the CPU with bcrypt. In a cluster the counts live in PostgreSQL
 * ({@link SharedLogins}; the address rate there is per calendar minute), shared by every node.
 */
@ApplicationScoped
public class LoginThrottle {
  /** Failures within the window that lock an (account, address) pair. */
  static final int FAILURES_TO_LOCK = 10;

  /** Attempts one address may make per minute, whatever the account. */
  static final int ATTEMPTS_PER_ADDRESS_PER_MINUTE = 30;

  /** Bounds memory under a spray of usernames/addresses; the oldest state is dropped first. */
  static final int MAX_TRACKED = 100_000;

  private final Duration window;
  private final Duration lockout;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
  private final Map<String, Instant> lockedUntil = new ConcurrentHashMap<>();
  private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

  /** The cluster's shared state; null (or disabled) with one node: this process counts. */
  private final SharedLogins shared;

  @Inject
  public LoginThrottle(TetherConfig config, SharedLogins shared) {
    this(config.auth().lockoutWindow(), config.auth().lockoutDuration(), Clock.systemUTC(), shared);
  }

  LoginThrottle(Duration window, Duration lockout, Clock clock) {
    this(window, lockout, clock, null);
  }

  private LoginThrottle(Duration window, Duration lockout, Clock clock, SharedLogins shared) {
    this.window = window;
    this.lockout = lockout;
    this.clock = clock;
    this.shared = shared;
  }

  private boolean clustered() {
    return shared != null && shared.enabled();
  }

  /** Why an attempt is refused before checking the password, and for how long. */
  public record Refusal(String reason, Duration retryAfter, boolean lockedPair) {}

  /** Call before verifying a password; a refusal means: do not hash, answer 429. */
  public Optional<Refusal> check(String username, String address) {
    if (clustered()) {
      return checkShared(username.toLowerCase(Locale.ROOT), address);
    }
    Instant now = clock.instant();
    Instant until = lockedUntil.get(pair(username, address));
    if (until != null && now.isBefore(until)) {
      return Optional.of(
          new Refusal(
              "too many failed sign-ins for this account from your address",
              Duration.between(now, until),
              true));
    }
    Deque<Instant> recent = attempts.computeIfAbsent(address, k -> new ArrayDeque<>());
    synchronized (recent) {
      prune(recent, now.minus(Duration.ofMinutes(1)));
      if (recent.size() >= ATTEMPTS_PER_ADDRESS_PER_MINUTE) {
        return Optional.of(
            new Refusal(
                "too many sign-in attempts from your address",
                Duration.between(now, recent.peekFirst().plus(Duration.ofMinutes(1))),
                false));
      }
      recent.addLast(now);
    }
    trim(attempts);
    return Optional.empty();
  }

  private Optional<Refusal> checkShared(String username, String address) {
    Optional<Duration> locked = shared.lockedFor(username, address);
    if (locked.isPresent()) {
      return Optional.of(
          new Refusal(
              "too many failed sign-ins for this account from your address", locked.get(), true));
    }
    if (shared.attempt(address) > ATTEMPTS_PER_ADDRESS_PER_MINUTE) {
      return Optional.of(
          new Refusal("too many sign-in attempts from your address", Duration.ofMinutes(1), false));
    }
    return Optional.empty();
  }

  /** Records a failure; returns true when this failure locked the pair. */
  public boolean failed(String username, String address) {
    if (clustered()) {
      return shared.failed(
          username.toLowerCase(Locale.ROOT), address, window, FAILURES_TO_LOCK, lockout);
    }
    Instant now = clock.instant();
    String key = pair(username, address);
    Deque<Instant> list = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    boolean locked = false;
    synchronized (list) {
      prune(list, now.minus(window));
      list.addLast(now);
      if (list.size() >= FAILURES_TO_LOCK) {
        lockedUntil.put(key, now.plus(lockout));
        list.clear();
        locked = true;
      }
    }
    trim(failures);
    return locked;
  }

  public void succeeded(String username, String address) {
    if (clustered()) {
      shared.succeeded(username.toLowerCase(Locale.ROOT), address);
      return;
    }
    String key = pair(username, address);
    failures.remove(key);
    lockedUntil.remove(key);
  }

  public Duration lockoutDuration() {
    return lockout;
  }

  private static String pair(String username, String address) {
    return username.toLowerCase(Locale.ROOT) + "\u0000" + address;
  }

  private static void prune(Deque<Instant> times, Instant oldest) {
    while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
      times.removeFirst();
    }
  }

  private void trim(Map<String, ?> map) {
    if (map.size() > MAX_TRACKED) {
      map.keySet().stream().limit(map.size() - MAX_TRACKED).toList().forEach(map::remove);
    }
    if (lockedUntil.size() > MAX_TRACKED) {
      Instant now = clock.instant();
      lockedUntil.values().removeIf(now::isAfter);
    }
  }
}
