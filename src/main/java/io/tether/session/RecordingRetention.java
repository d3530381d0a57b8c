package io.tether.session;

import io.quarkus.scheduler.Scheduled;
import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Deletes recordings older than their retention: the device group's {@code retention_days}, else
 * {@code TETHER_RECORDING_RETENTION}. Session rows (who, when, why it ended) stay.
 */
@ApplicationScoped
public class RecordingRetention {
  private static final Logger LOG = Logger.getLogger(RecordingRetention.class);

  @Inject DataSource dataSource;
  @Inject TetherConfig config;

  @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
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

  /** Deletes what is past retention now; answers the chunks deleted. */
  public int purgeNow() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "delete from recording_chunks c using sessions s, devices d, device_groups g"
                    + " where c.session_id = s.id and s.device_id = d.id and d.group_id = g.id"
                    + " and s.ended_at is not null and s.ended_at < now() -"
                    + " coalesce(make_interval(days => g.retention_days),"
                    + " interval '1 second' * ?)")) {
      s.setLong(1, config.recording().retention().toSeconds());
      return s.executeUpdate();
    }
  }
}
