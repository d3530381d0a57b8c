package io.tether.cluster;

import io.tether.boot.NodeIdentity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code portal_node} table and what a dead node leaves behind. Plain JDBC on a connection the
 * caller owns; every time comparison uses the database's {@code now()}, never a node's clock.
 */
final class NodeRows {
  /** Serialises joins, so two nodes starting at once cannot both pass the duplicate check. */
  static final long JOIN_LOCK = 0x7465_7468_6572_0001L;

  /** Only one live node judges the others at a time. */
  static final long REAP_LOCK = 0x7465_7468_6572_0002L;

  /** A row of the table, with the devices online through that node; a stale live row is silent. */
  record Node(
      String id, String url, long epoch, String state, long devices, Instant lastHeartbeat) {}

  /** A node another declared dead, and what it held. */
  /**
   * A node declared dead: what it held. {@code offline} lists the devices marked offline as pairs
   * of (device id, group id), for the live views.
   */
  record Lost(String id, String url, int devices, int sessions, List<long[]> offline) {}

  private NodeRows() {}

  /**
   * Takes a new epoch for {@code id} and marks it live, under the join lock, after raising the
   * generation sequence above every route written (by a single node's clock, say); answers the
   * epoch, or throws {@link ClusterConflict} when a live node already holds the id.
   */
  static long join(Connection db, String id, String url, String fingerprint, int liveWithinSeconds)
      throws SQLException {
    try (PreparedStatement lock = db.prepareStatement("select pg_advisory_xact_lock(?)")) {
      lock.setLong(1, JOIN_LOCK);
      lock.execute();
    }
    try (PreparedStatement s =
        db.prepareStatement(
            "select url from portal_node where id = ? and state in ('live', 'draining')"
                + " and heartbeat > now() - make_interval(secs => ?)")) {
      s.setString(1, id);
      s.setInt(2, liveWithinSeconds);
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          throw new ClusterConflict(
              "node-id " + id + " is held by a live node at " + r.getString(1));
        }
      }
    }
    try (PreparedStatement s =
        db.prepareStatement(
            "select setval('tunnel_generation', greatest((select last_value from"
                + " tunnel_generation), (select coalesce(max(connection_gen), 0) from devices)))")) {
      s.execute();
    }
    try (PreparedStatement s =
        db.prepareStatement(
            "insert into portal_node (id, url, epoch, fingerprint, state, started_at, heartbeat)"
                + " values (?, ?, nextval('portal_node_epoch'), ?, 'live', now(), now())"
                + " on conflict (id) do update set url = excluded.url, epoch = excluded.epoch,"
                + " fingerprint = excluded.fingerprint, state = 'live', started_at = now(),"
                + " heartbeat = now() returning epoch")) {
      s.setString(1, id);
      s.setString(2, url);
      s.setString(3, fingerprint);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** The next tunnel generation of the cluster: newer than every route any node wrote. */
  static long nextGeneration(Connection db) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("select nextval('tunnel_generation')");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Renews the heartbeat; false when the epoch moved on (this node was declared dead). */
  static boolean renew(Connection db, String id, long epoch) throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement(
            "update portal_node set heartbeat = now() where id = ? and epoch = ?"
                + " and state in ('live', 'draining')")) {
      s.setString(1, id);
      s.setLong(2, epoch);
      return s.executeUpdate() == 1;
    }
  }

  /** Sets this node's state (draining at a stop's start, stopped at its end) if still its epoch. */
  static void state(Connection db, String id, long epoch, String state) throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement(
            "update portal_node set state = ?, heartbeat = now() where id = ? and epoch = ?")) {
      s.setString(1, state);
      s.setString(2, id);
      s.setLong(3, epoch);
      s.executeUpdate();
    }
  }

  /**
   * Ends the database sessions of every other node silent for {@code deadAfterSeconds} (its pool's,
   * named {@link NodeIdentity#connectionName}, and its event listener's). A node frozen inside a
   * transaction (a paused VM, a stopped process) keeps that transaction's row locks, and the reap
   * lock when it froze while judging, until its connections end: left alone it holds off its own
   * judgement, and every write to a row it locked, for as long as it stays frozen. Outside any
   * transaction of the caller's; answers the sessions ended.
   */
  static int endSessionsOfSilent(Connection db, String self, int deadAfterSeconds)
      throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement(
            "select count(*) filter (where pg_terminate_backend(a.pid)) from pg_stat_activity a"
                + " join portal_node n on a.application_name in (left(? || n.id, ?),"
                + " left(? || n.id, ?))"
                + " where a.datname = current_database() and a.pid <> pg_backend_pid()"
                + " and n.id <> ? and n.state in ('live', 'draining')"
                + " and n.heartbeat < now() - make_interval(secs => ?)")) {
      s.setString(1, NodeIdentity.CONNECTION_NAME_PREFIX);
      s.setInt(2, NodeIdentity.APPLICATION_NAME_BYTES);
      s.setString(3, ClusterEvents.LISTEN_APPLICATION_NAME);
      s.setInt(4, NodeIdentity.APPLICATION_NAME_BYTES);
      s.setString(5, self);
      s.setInt(6, deadAfterSeconds);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /**
   * Under the reap lock (skipped when another node holds it): every other node silent for {@code
   * deadAfterSeconds} is declared dead with a new epoch (so its late writes are refused), its
   * devices marked offline and its sessions ended {@code node-lost}. One transaction.
   */
  static List<Lost> reap(Connection db, String self, int deadAfterSeconds) throws SQLException {
    try (PreparedStatement lock = db.prepareStatement("select pg_try_advisory_xact_lock(?)");
        ResultSet r = queryWith(lock, REAP_LOCK)) {
      if (!r.next() || !r.getBoolean(1)) {
        return List.of();
      }
    }
    List<String[]> dead = new ArrayList<>();
    try (PreparedStatement s =
        db.prepareStatement(
            "update portal_node set state = 'dead', epoch = nextval('portal_node_epoch')"
                + " where id <> ? and state in ('live', 'draining')"
                + " and heartbeat < now() - make_interval(secs => ?) returning id, url")) {
      s.setString(1, self);
      s.setInt(2, deadAfterSeconds);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          dead.add(new String[] {r.getString(1), r.getString(2)});
        }
      }
    }
    List<Lost> lost = new ArrayList<>();
    for (String[] node : dead) {
      List<long[]> offline = new ArrayList<>();
      try (PreparedStatement s =
          db.prepareStatement(
              "update devices set online = false, last_seen = now()"
                  + " where online and node_id = ? returning id, group_id")) {
        s.setString(1, node[0]);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            offline.add(new long[] {r.getLong(1), r.getLong(2)});
          }
        }
      }
      int devices = offline.size();
      int sessions;
      try (PreparedStatement s =
          db.prepareStatement(
              "update sessions set state = 'ended', ended_at = now(), close_reason = ?"
                  + " where ended_at is null and node_id = ?")) {
        s.setString(1, NodeFenced.REASON);
        s.setString(2, node[0]);
        sessions = s.executeUpdate();
      }
      try (PreparedStatement s =
          db.prepareStatement(
              "update session_participants p set left_at = s.ended_at from sessions s"
                  + " where p.session_id = s.id and p.left_at is null and s.node_id = ?"
                  + " and s.ended_at is not null")) {
        s.setString(1, node[0]);
        s.executeUpdate();
      }
      lost.add(new Lost(node[0], node[1], devices, sessions, offline));
    }
    return lost;
  }

  /** Every node the cluster has seen, with its online devices. */
  static List<Node> list(Connection db, int silentAfterSeconds) throws SQLException {
    List<Node> nodes = new ArrayList<>();
    try (PreparedStatement s =
            db.prepareStatement(
                "select n.id, n.url, n.epoch, case when n.state in ('live', 'draining')"
                    + " and n.heartbeat < now() - make_interval(secs => ?) then 'silent'"
                    + " else n.state end, n.heartbeat,"
                    + " (select count(*) from devices d where d.online and d.node_id = n.id)"
                    + " from portal_node n order by n.id");
        ResultSet r = queryWith(s, silentAfterSeconds)) {
      while (r.next()) {
        nodes.add(
            new Node(
                r.getString(1),
                r.getString(2),
                r.getLong(3),
                r.getString(4),
                r.getLong(6),
                r.getTimestamp(5).toInstant()));
      }
    }
    return nodes;
  }

  private static ResultSet queryWith(PreparedStatement s, long value) throws SQLException {
    s.setLong(1, value);
    return s.executeQuery();
  }
}
