package io.tether.user;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tether.cluster.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The login throttle's state in PostgreSQL, for a cluster: every node counts the same failures,
 * locks and attempts, so N nodes give a guesser no more tries than one. Each call is its own
 * transaction (a failed sign-in's answer must not roll its count back); the database's clock
 * decides windows and lock ends. Used only when {@link Membership#enabled()}.
 */
@ApplicationScoped
public class SharedLogins {
  @Inject Membership membership;
  @Inject DataSource dataSource;

  public boolean enabled() {
    return membership.enabled();
  }

  /** How long the pair stays locked, if it is. */
  Optional<Duration> lockedFor(String username, String address) {
    return call(
        db -> {
          try (PreparedStatement s =
              db.prepareStatement(
                  "select extract(epoch from locked_until - now()) from login_failures"
                      + " where username = ? and address = ? and locked_until > now()")) {
            s.setString(1, username);
            s.setString(2, address);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(Duration.ofMillis((long) (r.getDouble(1) * 1000)))
                  : Optional.<Duration>empty();
            }
          }
        });
  }

  /**
   * Counts an attempt from {@code address}; answers the attempts of this minute, this one included.
   */
  int attempt(String address) {
    return call(
        db -> {
          try (PreparedStatement s =
              db.prepareStatement(
                  "insert into login_attempts (address, minute, attempts)"
                      + " values (?, date_trunc('minute', now()), 1)"
                      + " on conflict (address, minute)"
                      + " do update set attempts = login_attempts.attempts + 1 returning attempts")) {
            s.setString(1, address);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getInt(1);
            }
          }
        });
  }

  /**
   * Counts a failure within {@code window}; at {@code failuresToLock} the pair is locked for {@code
   * lockout} and its count starts again. True when this failure locked it.
   */
  boolean failed(
      String username, String address, Duration window, int failuresToLock, Duration lockout) {
    return call(
        db -> {
          int failures;
          try (PreparedStatement s =
              db.prepareStatement(
                  "insert into login_failures (username, address, window_start, failures)"
                      + " values (?, ?, now(), 1) on conflict (username, address) do update set"
                      + " failures = case when login_failures.window_start"
                      + " < now() - make_interval(secs => ?) then 1"
                      + " else login_failures.failures + 1 end,"
                      + " window_start = case when login_failures.window_start"
                      + " < now() - make_interval(secs => ?) then now()"
                      + " else login_failures.window_start end returning failures")) {
            s.setString(1, username);
            s.setString(2, address);
            s.setLong(3, window.toSeconds());
            s.setLong(4, window.toSeconds());
            try (ResultSet r = s.executeQuery()) {
              r.next();
              failures = r.getInt(1);
            }
          }
          if (failures < failuresToLock) {
            return false;
          }
          try (PreparedStatement s =
              db.prepareStatement(
                  "update login_failures set locked_until = now() + make_interval(secs => ?),"
                      + " failures = 0, window_start = now() where username = ? and address = ?")) {
            s.setLong(1, lockout.toSeconds());
            s.setString(2, username);
            s.setString(3, address);
            s.executeUpdate();
          }
          return true;
        });
  }

  void succeeded(String username, String address) {
    call(
        db -> {
          try (PreparedStatement s =
              db.prepareStatement(
                  "delete from login_failures where username = ? and address = ?")) {
            s.setString(1, username);
            s.setString(2, address);
            return s.executeUpdate();
          }
        });
  }

  /** Old minutes and ended windows go; a lock in force stays. */
  @Scheduled(
      every = "5m",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  void purge() {
    if (!enabled()) {
      return;
    }
    call(
        db -> {
          try (PreparedStatement a =
                  db.prepareStatement(
                      "delete from login_attempts where minute < now() - interval '2 minutes'");
              PreparedStatement f =
                  db.prepareStatement(
                      "delete from login_failures where window_start < now() - interval '1 day'"
                          + " and (locked_until is null or locked_until < now())")) {
            return a.executeUpdate() + f.executeUpdate();
          }
        });
  }

  private interface Work<T> {
    T run(Connection db) throws SQLException;
  }

  private <T> T call(Work<T> work) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              try (Connection db = dataSource.getConnection()) {
                return work.run(db);
              }
            });
  }
}
