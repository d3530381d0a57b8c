package io.tether.consolelog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tether.device.DeviceGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Keeps every target's console log within its group's bounds: chunks older than the group's days,
 * then the oldest chunks beyond its size. One node purges at a time (an advisory lock): with
 * several nodes on one database this is the one purge job.
 */
@ApplicationScoped
public class LogRetention {
  private static final Logger LOG = Logger.getLogger(LogRetention.class);

  /** The advisory lock the purging node holds while it purges. */
  static final long PURGE_LOCK = 7302;

  @Inject DataSource dataSource;

  @Scheduled(
      every = "${tether.console-log.purge-every}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  void purge() {
    try {
      int deleted = QuarkusTransaction.requiringNew().call(this::purgeNow);
      if (deleted > 0) {
        LOG.infof("deleted %d console log chunk(s) past their group's bounds", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warnf("console log retention: %s", e.getCause() == null ? e : e.getCause());
    }
  }

  /** Purges now unless another node does; answers the chunks deleted. In a transaction. */
  int purgeNow() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
        lock.setLong(1, PURGE_LOCK);
        try (ResultSet r = lock.executeQuery()) {
          if (!r.next() || !r.getBoolean(1)) {
            return 0;
          }
        }
      }
      int deleted;
      try (PreparedStatement old =
          c.prepareStatement(
              "delete from console_log_chunks c using devices d, device_groups g"
                  + " where c.device_id = d.id and d.group_id = g.id"
                  + " and c.until < now() - make_interval(days => coalesce(g.console_log_days, ?))")) {
        old.setInt(1, DeviceGroup.DEFAULT_LOG_DAYS);
        deleted = old.executeUpdate();
      }
      try (PreparedStatement big =
          c.prepareStatement(
              "delete from console_log_chunks where id in (select k.id from (select id, device_id,"
                  + " sum(size) over (partition by device_id, target order by id desc) as kept"
                  + " from console_log_chunks) k join devices d on d.id = k.device_id"
                  + " join device_groups g on g.id = d.group_id"
                  + " where k.kept > coalesce(g.console_log_max_bytes, ?))")) {
        big.setLong(1, DeviceGroup.DEFAULT_LOG_MAX_BYTES);
        deleted += big.executeUpdate();
      }
      return deleted;
    }
  }
}
