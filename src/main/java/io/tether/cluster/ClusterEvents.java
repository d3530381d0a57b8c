package io.tether.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.access.AccessChanged;
import io.tether.audit.RefusalAudited;
import io.tether.boot.NodeIdentity;
import io.tether.db.Periodic;
import io.tether.device.PresenceChanged;
import io.tether.device.RawDevices;
import io.tether.device.SessionChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What one node's change means to the others, over PostgreSQL's NOTIFY (ids only; the truth stays
 * in the tables). An access change is notified inside the transaction that made it, so it reaches
 * the others exactly when it commits; presence is batched. Each node LISTENs on a dedicated
 * connection and fires the same CDI events locally ({@link AccessChanged}, {@link PresenceChanged},
 * {@link RouteMoved}, {@link UpgradeRequested}). A node whose LISTEN connection dropped cannot know
 * what it missed: when it is back, every live socket re-checks its access ({@code RECHECK_ALL}).
 * With one node nothing here runs.
 */
@ApplicationScoped
public class ClusterEvents {
  private static final Logger LOG = Logger.getLogger(ClusterEvents.class);

  static final String ACCESS = "tether_access";
  static final String PRESENCE = "tether_presence";
  static final String SESSIONS = "tether_sessions";
  static final String LIVE = "tether_live";
  static final String PORTS = "tether_ports";
  static final String UPGRADES = "tether_upgrades";

  /** Every channel this node listens on. */
  static final List<String> CHANNELS = List.of(ACCESS, PRESENCE, SESSIONS, LIVE, PORTS, UPGRADES);

  /**
   * Session and refusal events waiting to be sent to the other nodes' event streams; beyond this
   * they are dropped (the streams are a live view: the sessions API and the audit log keep all).
   */
  static final int MAX_PENDING_LIVE = 10_000;

  /** Presence changes are sent at most this often, coalesced per device. */
  static final Duration PRESENCE_BATCH = Duration.ofMillis(100);

  /** Bound on presence changes waiting for the next batch (coalesced per device). */
  static final int MAX_PENDING_PRESENCE = 50_000;

  /** Below PostgreSQL's 8000-byte NOTIFY payload limit. */
  static final int MAX_PAYLOAD_CHARS = 7_000;

  /** How long a LISTEN wait lasts before the loop checks whether it should stop. */
  static final int LISTEN_POLL_MILLIS = 250;

  static final Duration RECONNECT_WAIT = Duration.ofSeconds(1);

  /** The LISTEN connection's name in {@code pg_stat_activity}, followed by the node id. */
  public static final String LISTEN_APPLICATION_NAME = "tether-events node ";

  /** Set while this node fires an event it heard: it must not be notified back. */
  private static final ThreadLocal<Boolean> RELAYING = ThreadLocal.withInitial(() -> false);

  @Inject Membership membership;
  @Inject NodeIdentity identity;
  @Inject DataSource dataSource;
  @Inject ObjectMapper json;
  @Inject Event<AccessChanged> access;
  @Inject Event<PresenceChanged> presence;
  @Inject Event<RouteMoved> routes;
  @Inject Event<SessionEndRequested> sessionEnds;
  @Inject Event<SessionChanged> sessionChanges;
  @Inject Event<RefusalAudited> refusals;
  @Inject Event<LinkPortChanged> linkPorts;
  @Inject Event<RawDevices.IngressChanged> ingress;
  @Inject Event<UpgradeRequested> upgrades;

  private final Map<Long, String> pendingPresence = new LinkedHashMap<>();
  private final List<String> pendingLive = new ArrayList<>();
  private ScheduledExecutorService sender;
  private Thread listener;
  private volatile boolean running;

  void onStart(@Observes StartupEvent event) {
    if (!membership.enabled()) {
      return;
    }
    running = true;
    sender = Periodic.every(PRESENCE_BATCH, "tether-cluster-notify", this::flush);
    listener = new Thread(this::listen, "tether-cluster-listen");
    listener.setDaemon(true);
    listener.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    running = false;
    if (sender != null) {
      sender.shutdown();
      flush();
    }
  }

  /**
   * Tells the other nodes, inside the transaction that made the change when there is one (NOTIFY is
   * delivered at its commit, never after a rollback).
   */
  void onAccessChanged(@Observes AccessChanged change) {
    if (!membership.enabled() || RELAYING.get()) {
      return;
    }
    ObjectNode message = json.createObjectNode().put("from", identity.nodeId());
    message.put("kind", change.kind().name());
    message.put("userId", change.userId());
    message.put("deviceId", change.deviceId());
    message.put("sessionId", change.sessionId());
    String reason = change.reason() == null ? "" : change.reason();
    message.put("reason", reason.length() > 200 ? reason.substring(0, 200) : reason);
    try (Connection db = dataSource.getConnection()) {
      notify(db, ACCESS, message.toString());
    } catch (SQLException e) {
      // the change is committed or not with its transaction; the others re-check when their
      // event connection comes back, and this one is logged
      LOG.errorf(
          "cannot tell the other nodes of an access change (%s): %s", change, e.getMessage());
    }
  }

  /**
   * Asks {@code nodeId}, which holds the live session, to end it (an admin's request that reached
   * this node). False when the database could not be told.
   */
  public boolean requestSessionEnd(long sessionId, String nodeId, String reason, String detail) {
    ObjectNode message = json.createObjectNode().put("node", nodeId);
    message.put("sessionId", sessionId);
    message.put("reason", reason);
    message.put("detail", detail.length() > 200 ? detail.substring(0, 200) : detail);
    try (Connection db = dataSource.getConnection()) {
      notify(db, SESSIONS, message.toString());
      return true;
    } catch (SQLException e) {
      LOG.errorf("cannot ask node %s to end session %d: %s", nodeId, sessionId, e.getMessage());
      return false;
    }
  }

  /**
   * A session of this node went live, changed or ended: the other nodes' event streams show it too
   * (sent with the next batch: this is called on the session's event loop and never waits).
   */
  void onSessionChanged(@Observes SessionChanged change) {
    queueLive("session", change);
  }

  /** A refusal was audited on this node: the other nodes' event streams show it too. */
  void onRefusal(@Observes(during = TransactionPhase.AFTER_SUCCESS) RefusalAudited refusal) {
    queueLive("refusal", refusal);
  }

  private void queueLive(String type, Object body) {
    if (!membership.enabled() || RELAYING.get()) {
      return;
    }
    ObjectNode message = json.createObjectNode().put("from", identity.nodeId()).put("type", type);
    message.set("body", json.valueToTree(body));
    String payload = message.toString();
    if (payload.length() > MAX_PAYLOAD_CHARS) {
      return;
    }
    synchronized (pendingLive) {
      if (pendingLive.size() < MAX_PENDING_LIVE) {
        pendingLive.add(payload);
      }
    }
  }

  /** A link port made or removed here: the others hear it when the change commits. */
  void onLinkPort(@Observes LinkPortChanged change) {
    if (!membership.enabled() || change.fromNode() != null) {
      return;
    }
    notifyPorts("link " + change.linkId() + " " + change.removed());
  }

  /** A raw device's ingress settings changed here: the others reload its ingress port too. */
  void onIngress(@Observes RawDevices.IngressChanged change) {
    if (!membership.enabled() || RELAYING.get()) {
      return;
    }
    notifyPorts("ingress " + change.deviceId() + " false");
  }

  private void notifyPorts(String what) {
    notifyOthers(PORTS, what, "a port change");
  }

  /**
   * Tells the other nodes that {@code deviceId} has an agent upgrade to send: the one holding its
   * tunnel sends it. False with one node, or when the database could not be told (the holding
   * node's sweep still finds the upgrade).
   */
  public boolean requestUpgrade(long deviceId) {
    return membership.enabled() && notifyOthers(UPGRADES, Long.toString(deviceId), "an upgrade");
  }

  /** NOTIFY {@code channel} with "NODE-ID what"; false (logged) when the database refused. */
  private boolean notifyOthers(String channel, String what, String news) {
    try (Connection db = dataSource.getConnection()) {
      notify(db, channel, identity.nodeId() + " " + what);
      return true;
    } catch (SQLException e) {
      LOG.errorf("cannot tell the other nodes of %s (%s): %s", news, what, e.getMessage());
      return false;
    }
  }

  /** A presence write committed on this node; sent with the next batch. */
  public void presenceWritten(long deviceId, long groupId, boolean online, long generation) {
    if (!membership.enabled()) {
      return;
    }
    synchronized (pendingPresence) {
      if (pendingPresence.size() >= MAX_PENDING_PRESENCE
          && !pendingPresence.containsKey(deviceId)) {
        return; // the others read the table at their next load; the bound holds
      }
      pendingPresence.put(deviceId, groupId + " " + (online ? 1 : 0) + " " + generation);
    }
  }

  private void flush() {
    flushLive();
    flushPresence();
  }

  private void flushLive() {
    List<String> payloads;
    synchronized (pendingLive) {
      if (pendingLive.isEmpty()) {
        return;
      }
      payloads = List.copyOf(pendingLive);
      pendingLive.clear();
    }
    try (Connection db = dataSource.getConnection()) {
      for (String payload : payloads) {
        notify(db, LIVE, payload);
      }
    } catch (SQLException e) {
      LOG.warnf("cannot tell the other nodes of session and refusal events: %s", e.getMessage());
    }
  }

  private void flushPresence() {
    List<String> payloads = new ArrayList<>();
    synchronized (pendingPresence) {
      if (pendingPresence.isEmpty()) {
        return;
      }
      StringBuilder b = new StringBuilder(identity.nodeId());
      for (Map.Entry<Long, String> e : pendingPresence.entrySet()) {
        String line = "\n" + e.getKey() + " " + e.getValue();
        if (b.length() + line.length() > MAX_PAYLOAD_CHARS) {
          payloads.add(b.toString());
          b = new StringBuilder(identity.nodeId());
        }
        b.append(line);
      }
      payloads.add(b.toString());
      pendingPresence.clear();
    }
    try (Connection db = dataSource.getConnection()) {
      for (String payload : payloads) {
        notify(db, PRESENCE, payload);
      }
    } catch (SQLException e) {
      LOG.warnf("cannot tell the other nodes of presence changes: %s", e.getMessage());
    }
  }

  private static void notify(Connection db, String channel, String payload) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("select pg_notify(?, ?)")) {
      s.setString(1, channel);
      s.setString(2, payload);
      s.execute();
    }
  }

  private void listen() {
    boolean heardBefore = false;
    boolean reported = false;
    while (running) {
      try (Connection db = listenConnection()) {
        try (Statement s = db.createStatement()) {
          for (String channel : CHANNELS) {
            s.execute("LISTEN " + channel);
          }
        }
        if (heardBefore) {
          LOG.info("cluster events resumed: every live socket re-checks its access");
          relay(
              new AccessChanged(
                  AccessChanged.Kind.RECHECK_ALL, null, null, null, "access re-checked"));
        }
        heardBefore = true;
        reported = false;
        PGConnection pg = db.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] heard = pg.getNotifications(LISTEN_POLL_MILLIS);
          if (heard != null) {
            for (PGNotification n : heard) {
              heard(n.getName(), n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!reported && running) {
          reported = true;
          LOG.warnf("cluster events interrupted (%s): reconnecting", e.getMessage());
        }
        sleep(RECONNECT_WAIT);
      }
    }
  }

  private Connection listenConnection() throws SQLException {
    var config = ConfigProvider.getConfig();
    Properties props = new Properties();
    config
        .getOptionalValue("quarkus.datasource.username", String.class)
        .ifPresent(u -> props.setProperty("user", u));
    config
        .getOptionalValue("quarkus.datasource.password", String.class)
        .ifPresent(p -> props.setProperty("password", p));
    props.setProperty("ApplicationName", LISTEN_APPLICATION_NAME + identity.nodeId());
    Connection db =
        DriverManager.getConnection(
            config.getValue("quarkus.datasource.jdbc.url", String.class), props);
    db.setAutoCommit(true);
    return db;
  }

  private void heard(String channel, String payload) {
    try {
      if (ACCESS.equals(channel)) {
        JsonNode m = json.readTree(payload);
        if (!identity.nodeId().equals(m.path("from").asText())) {
          relay(
              new AccessChanged(
                  AccessChanged.Kind.valueOf(m.path("kind").asText()),
                  longOrNull(m.get("userId")),
                  longOrNull(m.get("deviceId")),
                  longOrNull(m.get("sessionId")),
                  m.path("reason").asText()));
        }
      } else if (LIVE.equals(channel)) {
        JsonNode m = json.readTree(payload);
        if (!identity.nodeId().equals(m.path("from").asText())) {
          RELAYING.set(true);
          try {
            if ("session".equals(m.path("type").asText())) {
              sessionChanges.fire(json.treeToValue(m.get("body"), SessionChanged.class));
            } else if ("refusal".equals(m.path("type").asText())) {
              refusals.fire(json.treeToValue(m.get("body"), RefusalAudited.class));
            }
          } finally {
            RELAYING.set(false);
          }
        }
      } else if (PORTS.equals(channel)) {
        String[] f = payload.split(" ");
        if (identity.nodeId().equals(f[0])) {
          return;
        }
        long id = Long.parseLong(f[2]);
        if ("link".equals(f[1])) {
          linkPorts.fire(new LinkPortChanged(id, Boolean.parseBoolean(f[3]), f[0]));
        } else if ("ingress".equals(f[1])) {
          RELAYING.set(true);
          try {
            ingress.fire(new RawDevices.IngressChanged(id));
          } finally {
            RELAYING.set(false);
          }
        }
      } else if (UPGRADES.equals(channel)) {
        String[] f = payload.split(" ");
        if (!identity.nodeId().equals(f[0])) {
          upgrades.fireAsync(new UpgradeRequested(Long.parseLong(f[1])));
        }
      } else if (SESSIONS.equals(channel)) {
        JsonNode m = json.readTree(payload);
        if (identity.nodeId().equals(m.path("node").asText())) {
          sessionEnds.fireAsync(
              new SessionEndRequested(
                  m.path("sessionId").asLong(),
                  m.path("reason").asText(),
                  m.path("detail").asText()));
        }
      } else if (PRESENCE.equals(channel)) {
        String[] lines = payload.split("\n");
        String from = lines[0];
        if (from.equals(identity.nodeId())) {
          return;
        }
        for (int i = 1; i < lines.length; i++) {
          String[] f = lines[i].split(" ");
          long deviceId = Long.parseLong(f[0]);
          boolean online = "1".equals(f[2]);
          if (online) {
            routes.fire(new RouteMoved(deviceId, from, Long.parseLong(f[3])));
          }
          presence.fireAsync(new PresenceChanged(deviceId, Long.parseLong(f[1]), online));
        }
      }
    } catch (Exception e) {
      LOG.warnf("ignored a cluster event on %s that this node cannot read: %s", channel, e);
    }
  }

  private void relay(AccessChanged change) {
    RELAYING.set(true);
    try {
      access.fire(change);
    } finally {
      RELAYING.set(false);
    }
  }

  private static Long longOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asLong();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
