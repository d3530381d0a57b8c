package io.tether.session;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Deletes recordings older than their retention: the device group's {@code retention_days}, else
 * {@code TETHER_RECORDING_RETENTION}. Session rows (who, when, why it ended) stay. Each group is
 * purged in its own transaction, so one group's failure leaves the others' purge alone.
 */
@ApplicationScoped
public class RecordingRetention {
  private static final Logger LOG = Logger.getLogger(RecordingRetention.class);

  @Inject DataSource dataSource;
  @Inject TetherConfig config;

  @Scheduled(
      every = "1h",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  void purge() {
    try {
      int deleted = purgeNow();
      if (deleted > 0) {
        LOG.infof("deleted %d recording chunk(s) past their retention", deleted);
      }
    } catch (SQLException e) {
      LOG.warnf("recording retention: %s", e.getMessage());
    }
  }

  /**
   * Deletes what is past retention now, group by group; a group that fails is logged and skipped.
   * Answers the chunks deleted; throws only when the groups cannot be listed.
   */
  public int purgeNow() throws SQLException {
    int deleted = 0;
    for (long group : groups()) {
      try {
        deleted += QuarkusTransaction.requiringNew().call(() -> purgeGroup(group));
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        LOG.warnf("recording retention of device group %d failed: %s", group, cause.getMessage());
        LOG.debug("recording retention", e);
      }
    }
    return deleted;
  }

  private List<Long> groups() throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("select id from device_groups order by id");
        ResultSet rows = s.executeQuery()) {
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
    }
    return ids;
  }

  /** Runs in the group's own transaction. */
  private int purgeGroup(long group) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "delete from recording_chunks c using sessions s, devices d, device_groups g"
                    + " where c.session_id = s.id and s.device_id = d.id and d.group_id = g.id"
                    + " and g.id = ? and s.ended_at is not null and s.ended_at < now() -"
                    + " coalesce(make_interval(days => g.retention_days),"
                    + " interval '1 second' * ?)")) {
      s.setLong(1, group);
      s.setLong(2, config.recording().retention().toSeconds());
      return s.executeUpdate();
    }
  }
}
