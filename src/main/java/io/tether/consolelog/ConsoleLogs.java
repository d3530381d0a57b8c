package io.tether.consolelog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.tether.boot.NodeIdentity;
import io.tether.device.DeviceTarget;
import io.tether.device.TargetSettings;
import io.tether.tunnel.AgentTunnelEvent;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.LiveTunnel;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Context;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The console loggers of this node: one per logged target of each device whose tunnel this node
 * holds. Every few seconds (and when a tunnel comes up) it compares them with the targets that
 * should be logged, so a setting changed on any node, or a device moving between nodes, is followed
 * without a message between nodes. Sessions open a logged target through {@link #lend}.
 */
@ApplicationScoped
public class ConsoleLogs {
  private static final Logger LOG = Logger.getLogger(ConsoleLogs.class);

  private final ConcurrentHashMap<String, TargetLogger> loggers = new ConcurrentHashMap<>();

  @Inject Tunnels tunnels;
  @Inject LogWriter writer;
  @Inject DataSource dataSource;
  @Inject NodeIdentity node;
  @Inject ObjectMapper json;

  private volatile boolean stopping;

  private static String key(long deviceId, String target) {
    return deviceId + "/" + target;
  }

  /**
   * Opens a logged target for a session from the logger that keeps it open; false when the target
   * is not logged here (the caller opens it itself).
   */
  public boolean lend(long deviceId, String target, ChannelConsumer consumer, Context context) {
    TargetLogger logger = loggers.get(key(deviceId, target));
    if (logger == null) {
      return false;
    }
    logger.run(() -> logger.lend(consumer, context));
    return true;
  }

  /** Whether this node logs the target now (its channel open). */
  public boolean logging(long deviceId, String target) {
    TargetLogger logger = loggers.get(key(deviceId, target));
    return logger != null && logger.state() == TargetLogger.State.OPEN;
  }

  void onTunnel(@ObservesAsync AgentTunnelEvent event) {
    if (event instanceof AgentTunnelEvent.Online) {
      startFor(event.deviceId());
    }
  }

  @Scheduled(
      every = "3s", // ConsoleLogLimits.RECONCILE_MILLIS
      delayed = "2s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  void reconcileJob() {
    reconcile();
  }

  /** Starts the loggers that should run here and stops the others. */
  synchronized void reconcile() {
    if (stopping) {
      return;
    }
    Map<String, Wanted> wanted;
    try {
      wanted = wanted(null);
    } catch (SQLException e) {
      LOG.debugf("console log: cannot read the logged targets now: %s", e.getMessage());
      return; // the loggers running go on; nothing new starts until the database answers
    }
    loggers.forEach(
        (key, logger) -> {
          if (!wanted.containsKey(key) || !tunnels.online(logger.deviceId)) {
            loggers.remove(key);
            logger.run(() -> logger.stop("console logging of the target was turned off"));
          }
        });
    wanted.forEach(this::start);
  }

  /**
   * Starts the loggers of a device whose tunnel just came up here. Only its own rows are read: a
   * reconnect storm of 10,000 tunnels asking for the whole node's targets each made the welcomes
   * quadratic (the periodic {@link #reconcile} does the rest).
   */
  synchronized void startFor(long deviceId) {
    if (stopping) {
      return;
    }
    try {
      wanted(deviceId).forEach(this::start);
    } catch (SQLException e) {
      LOG.debugf("console log: cannot read device %d's logged targets now: %s", deviceId, e);
    }
  }

  private void start(String key, Wanted w) {
    TargetLogger logger =
        loggers.computeIfAbsent(
            key,
            k ->
                new TargetLogger(
                    w.deviceId(),
                    w.target(),
                    w.tunnel().context(),
                    (consumer, context) ->
                        tunnels.open(w.deviceId(), w.target(), Optional.empty(), consumer, context),
                    writer,
                    Clock.systemUTC()));
    logger.run(logger::start); // again after a refusal (busy) or a closed channel
  }

  private record Wanted(long deviceId, String target, LiveTunnel tunnel) {}

  /**
   * The targets to log among the devices whose tunnels this node holds: all of them, or only those
   * of the device {@code only} when it is not null.
   */
  private Map<String, Wanted> wanted(Long only) throws SQLException {
    Map<Long, Settings> settings = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select d.id, d.target_settings::text, g.console_log from devices d"
                    + " join device_groups g on g.id = d.group_id"
                    + " where d.online and d.node_id = ? and d.deleted_at is null"
                    + " and d.state = 'active' and d.mode = 'agent'"
                    + " and (g.console_log = 'always'"
                    + " or jsonb_path_exists(d.target_settings, '$.*.log ? (@ == \"always\")'))"
                    + (only == null ? "" : " and d.id = ?"))) {
      s.setString(1, node.nodeId());
      if (only != null) {
        s.setLong(2, only);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          settings.put(r.getLong(1), new Settings(parse(r.getString(2)), r.getString(3)));
        }
      }
    }
    Map<String, Wanted> wanted = new HashMap<>();
    settings.forEach(
        (deviceId, s) ->
            tunnels
                .local(deviceId)
                .ifPresent(
                    tunnel -> {
                      for (DeviceTarget t : tunnel.presence(true).targets()) {
                        if ("serial".equals(t.kind())
                            && TargetSettings.logged(
                                s.own().get(t.name()), t.kind(), s.groupDefault())) {
                          wanted.put(
                              key(deviceId, t.name()), new Wanted(deviceId, t.name(), tunnel));
                        }
                      }
                    }));
    return wanted;
  }

  private Map<String, TargetSettings> parse(String settings) {
    try {
      return json.readValue(settings, SETTINGS);
    } catch (java.io.IOException e) {
      return Map.of(); // written by this portal as JSON: unreachable but for a hand-edited row
    }
  }

  private static final TypeReference<Map<String, TargetSettings>> SETTINGS =
      new TypeReference<>() {};

  private record Settings(Map<String, TargetSettings> own, String groupDefault) {}

  /** Before the writer drains: every logger marks where its log stops. */
  void onStop(@Observes @Priority(1) ShutdownEvent event) {
    stopping = true;
    CountDownLatch done = new CountDownLatch(loggers.size());
    Set<TargetLogger> all = new HashSet<>(loggers.values());
    loggers.clear();
    for (TargetLogger logger : all) {
      logger.run(
          () -> {
            logger.stop("the portal stopped");
            done.countDown();
          });
    }
    try {
      done.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
