package io.tether.eventrule;

import io.tether.db.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts failed or refused sign-ins per account and per client address in PostgreSQL (every node
 * adds to the same counts) and raises one {@code auth.login-failed-burst} when a burst starts
 * ({@link BurstRule#LOGIN}). One key's counting is serialised by an advisory lock, so two nodes
 * reaching the threshold together raise one event.
 */
public final class LoginBursts {
  /** Counts are kept in buckets of this many seconds; the window sums the buckets within it. */
  static final int BUCKET_SECONDS = 10;

  /** Advisory lock class of one key's counting (the key's hash is the other half). */
  static final int LOCK_CLASS = 0x54424c53;

  /** Longest key kept (the columns'); a longer username or address is cut. */
  static final int KEY_MAX = 256;

  private LoginBursts() {}

  /**
   * A sign-in for {@code account} from {@code address} failed or was refused (either may be null);
   * in the caller's transaction (the audit entry's).
   */
  public static void failed(Connection c, String account, String address) throws SQLException {
    BurstRule rule = BurstRule.LOGIN;
    Map<String, Object> data = new LinkedHashMap<>();
    int most = 0;
    String[][] keys = {
      {"account", account == null ? null : account.toLowerCase(Locale.ROOT)},
      {"address", address}
    };
    for (String[] key : keys) {
      if (key[1] == null || key[1].isEmpty()) {
        continue;
      }
      String k = key[1].length() > KEY_MAX ? key[1].substring(0, KEY_MAX) : key[1];
      lock(c, key[0], k);
      Instant now = now(c);
      int failures = count(c, key[0], k, rule);
      Instant last = lastBurstFailure(c, key[0], k);
      if (rule.starts(failures, last, now)) {
        startBurst(c, key[0], k);
        data.put(key[0], k);
        most = Math.max(most, failures);
      } else if (rule.open(last, now)) {
        extendBurst(c, key[0], k);
      }
    }
    if (!data.isEmpty()) {
      data.put("failures", most);
      data.put("withinSeconds", rule.window().toSeconds());
      Outbox.event(c, "auth.login-failed-burst", null, Outbox.json(data));
    }
  }

  private static void lock(Connection c, String kind, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
      s.setInt(1, LOCK_CLASS);
      s.setString(2, kind + ":" + key);
      s.execute();
    }
  }

  private static Instant now(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select now()");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getTimestamp(1).toInstant();
    }
  }

  /** Adds this failure to its bucket, forgets old buckets, and answers the window's failures. */
  private static int count(Connection c, String kind, String key, BurstRule rule)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into login_failure_buckets (kind, key, bucket, failures)"
                + " values (?, ?, to_timestamp(floor(extract(epoch from now()) / ?) * ?), 1)"
                + " on conflict (kind, key, bucket)"
                + " do update set failures = login_failure_buckets.failures + 1")) {
      s.setString(1, kind);
      s.setString(2, key);
      s.setInt(3, BUCKET_SECONDS);
      s.setInt(4, BUCKET_SECONDS);
      s.executeUpdate();
    }
    update(
        c,
        "delete from login_failure_buckets where kind = ? and key = ?"
            + " and bucket <= now() - make_interval(secs => "
            + rule.window().toSeconds()
            + ")",
        kind,
        key);
    try (PreparedStatement s =
        c.prepareStatement(
            "select coalesce(sum(failures), 0) from login_failure_buckets"
                + " where kind = ? and key = ?")) {
      s.setString(1, kind);
      s.setString(2, key);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  private static Instant lastBurstFailure(Connection c, String kind, String key)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select last_failure_at from login_bursts where kind = ? and key = ?")) {
      s.setString(1, kind);
      s.setString(2, key);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getTimestamp(1).toInstant() : null;
      }
    }
  }

  private static void startBurst(Connection c, String kind, String key) throws SQLException {
    update(
        c,
        "insert into login_bursts (kind, key, started_at, last_failure_at)"
            + " values (?, ?, now(), now()) on conflict (kind, key)"
            + " do update set started_at = now(), last_failure_at = now()",
        kind,
        key);
  }

  private static void extendBurst(Connection c, String kind, String key) throws SQLException {
    update(
        c, "update login_bursts set last_failure_at = now() where kind = ? and key = ?", kind, key);
  }

  /** A statement whose two parameters are the kind and the key. */
  private static void update(Connection c, String sql, String kind, String key)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, kind);
      s.setString(2, key);
      s.executeUpdate();
    }
  }
}
