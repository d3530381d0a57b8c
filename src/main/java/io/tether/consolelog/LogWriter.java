package io.tether.consolelog;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.recording.OutputLines;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Stores the node's console log chunks on a thread of its own, in batches, and hands the lines they
 * finish to the group's rules. Its queue is bounded ({@link ConsoleLogLimits#QUEUE_BYTES}): a
 * logger whose chunk finds no room drops it into a marked gap, so a slow or absent database never
 * slows a device. A batch the database refuses for a while is retried; one it can never take (its
 * device is gone) is dropped.
 */
@ApplicationScoped
public class LogWriter implements TargetLogger.Store {
  private static final Logger LOG = Logger.getLogger(LogWriter.class);

  /** How long shutdown waits for the queue to reach the database. */
  static final long DRAIN_MILLIS = 2000;

  private static final long RETRY_MILLIS_MAX = 5000;

  private final LinkedBlockingQueue<LogChunk> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong droppedChunks = new AtomicLong();
  private final Map<String, OutputLines> lines = new HashMap<>();
  private volatile boolean stopped;
  private Thread thread;

  @Inject DataSource dataSource;
  @Inject ConsoleRuleBook rules;

  void onStart(@Observes StartupEvent event) {
    thread = new Thread(this::loop, "console-log-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** After the loggers' last markers (ConsoleLogs stops them first). */
  void onStop(@Observes @Priority(2) ShutdownEvent event) {
    long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
    while (queued.get() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stopped = true;
  }

  @Override
  public boolean offer(LogChunk chunk, boolean marker) {
    long limit = ConsoleLogLimits.QUEUE_BYTES + (marker ? ConsoleLogLimits.MARKER_RESERVE : 0);
    long weight = chunk.weight();
    while (true) {
      long now = queued.get();
      if (now + weight > limit) {
        droppedChunks.incrementAndGet();
        return false;
      }
      if (queued.compareAndSet(now, now + weight)) {
        queue.add(chunk);
        return true;
      }
    }
  }

  /** Bytes waiting for the database now. */
  long queuedBytes() {
    return queued.get();
  }

  private void loop() {
    List<LogChunk> batch = new ArrayList<>();
    long retry = 100;
    while (!stopped) {
      try {
        if (batch.isEmpty()) {
          LogChunk first = queue.poll(500, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, ConsoleLogLimits.BATCH_CHUNKS - 1);
        }
        try {
          insert(batch);
          if (retry > 100) {
            LOG.info("console log: the database takes the log again");
          }
          retry = 100;
        } catch (SQLException e) {
          if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
            LOG.warnf("console log: dropped %d chunk(s) the database refused: %s", batch.size(), e);
          } else {
            if (retry == 100) {
              LOG.warnf(
                  "console log: the database does not take the log (%s), retrying; loggers drop"
                      + " bytes beyond %d queued",
                  e.getMessage(), ConsoleLogLimits.QUEUE_BYTES);
            }
            Thread.sleep(retry);
            retry = Math.min(retry * 2, RETRY_MILLIS_MAX);
            continue; // the batch stays, and with it its weight in the queue's bound
          }
        }
        release(batch);
        scan(batch);
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warnf(e, "console log writer");
        release(batch);
        batch.clear();
      }
    }
  }

  private void release(List<LogChunk> batch) {
    long weight = 0;
    for (LogChunk c : batch) {
      weight += c.weight();
    }
    queued.addAndGet(-weight);
  }

  private void insert(List<LogChunk> batch) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into console_log_chunks"
                    + " (device_id, target, at, until, data, size, dropped, note)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (LogChunk chunk : batch) {
        s.setLong(1, chunk.deviceId());
        s.setString(2, chunk.target());
        s.setTimestamp(3, Timestamp.from(chunk.at()));
        s.setTimestamp(4, Timestamp.from(chunk.until()));
        if (chunk.data() == null) {
          s.setNull(5, Types.BINARY);
        } else {
          s.setBytes(5, chunk.data());
        }
        s.setInt(6, chunk.data() == null ? 0 : chunk.data().length);
        s.setLong(7, chunk.dropped());
        s.setString(8, Markers.STARTED.equals(chunk.note()) ? resumed(c, chunk) : chunk.note());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** A start marker says since when nothing was logged, if the target was logged before. */
  private static String resumed(Connection c, LogChunk start) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select max(until) from console_log_chunks where device_id = ? and target = ?")) {
      s.setLong(1, start.deviceId());
      s.setString(2, start.target());
      try (ResultSet r = s.executeQuery()) {
        Timestamp last = r.next() ? r.getTimestamp(1) : null;
        return last == null ? Markers.STARTED : Markers.resumed(last.toInstant());
      }
    }
  }

  /** Decodes the stored chunks into lines, per target, and matches them against the rules. */
  private void scan(List<LogChunk> batch) {
    Map<String, List<LogLine>> found = new LinkedHashMap<>();
    Map<String, LogChunk> of = new HashMap<>();
    for (LogChunk chunk : batch) {
      String key = chunk.key();
      List<LogLine> out = found.computeIfAbsent(key, k -> new ArrayList<>());
      of.put(key, chunk);
      OutputLines.Sink sink = (at, text) -> out.add(new LogLine(at, text));
      if (chunk.data() == null) {
        OutputLines ended = lines.remove(key); // a start or stop: the next bytes begin afresh
        if (ended != null) {
          ended.finish(sink);
        }
        continue;
      }
      OutputLines decoder =
          lines.computeIfAbsent(
              key, k -> new OutputLines(encoding(chunk), ConsoleLogLimits.MAX_LINE_CHARS));
      if (chunk.dropped() > 0) {
        decoder.gap(sink);
      }
      decoder.feed(chunk.data(), 0, chunk.data().length, chunk.at(), sink);
    }
    found.forEach(
        (key, list) -> {
          if (!list.isEmpty()) {
            LogChunk c = of.get(key);
            try {
              rules.scan(c.deviceId(), c.target(), list);
            } catch (RuntimeException e) {
              LOG.warnf("console rules of device %d target %s: %s", c.deviceId(), c.target(), e);
            }
          }
        });
  }

  private String encoding(LogChunk chunk) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("select encoding from devices where id = ?")) {
      s.setLong(1, chunk.deviceId());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : "utf-8";
      }
    } catch (SQLException e) {
      return "utf-8";
    }
  }
}
