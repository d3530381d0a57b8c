package io.tether.consolelog;

import io.tether.recording.OutputLines;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Reads a target's console log back: as lines with their times (a page of them, optionally only
 * those a search matches), the last lines before a time (a terminal's scrollback), or the raw
 * bytes. Chunks are read in the order they were stored, a few at a time.
 */
@ApplicationScoped
public class LogReader {
  /** Lines a page holds unless the caller asks for fewer. */
  static final int DEFAULT_LINES = 1000;

  /** The most lines one page or tail holds. */
  static final int MAX_LINES = 10_000;

  /** The bytes read back from the end for a tail: enough for its lines unless they are huge. */
  static final long TAIL_BYTES = 1024 * 1024;

  private static final int FETCH = 32;

  @Inject DataSource dataSource;

  /** One line of the log, or a marker where logging started, stopped or lost bytes. */
  public record Item(Instant at, String text, String marker) {}

  /** Where a page ends: the chunk the next line starts in, and the lines of it already given. */
  public record Cursor(long chunk, int skip) {
    static Cursor parse(String s) {
      int dot = s.indexOf('.');
      try {
        return new Cursor(
            Long.parseLong(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cursor: not one this endpoint gave");
      }
    }

    @Override
    public String toString() {
      return chunk + "." + skip;
    }
  }

  public record Page(List<Item> items, Cursor next) {}

  /** What to read: a time range, from a cursor, and the lines a search keeps (null: all). */
  public record Query(
      long deviceId,
      String target,
      String encoding,
      Instant from,
      Instant to,
      Cursor after,
      Predicate<String> match,
      int limit) {}

  /** A page of lines (and markers, when not searching) from the query's start. */
  public Page page(Query q) throws SQLException {
    List<Item> items = new ArrayList<>();
    Cursor[] next = new Cursor[1];
    long start = q.after() == null ? 0 : q.after().chunk();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false); // a cursor: the rows come a few at a time
      try (PreparedStatement s =
          c.prepareStatement(
              "select id, at, data, dropped, note from console_log_chunks"
                  + " where device_id = ? and target = ? and id >= ? and at >= ? and at < ?"
                  + " order by id")) {
        s.setFetchSize(FETCH);
        s.setLong(1, q.deviceId());
        s.setString(2, q.target());
        s.setLong(3, start);
        s.setTimestamp(4, Timestamp.from(q.from()));
        s.setTimestamp(5, Timestamp.from(q.to()));
        try (ResultSet r = s.executeQuery()) {
          OutputLines lines = new OutputLines(q.encoding(), ConsoleLogLimits.MAX_LINE_CHARS);
          long[] chunk = {0};
          int[] inChunk = {0};
          int skip = q.after() == null ? 0 : q.after().skip();
          OutputLines.Sink sink =
              (at, text) -> {
                int n = inChunk[0]++;
                if (next[0] != null || (chunk[0] == start && n < skip)) {
                  return;
                }
                if (q.match() == null || q.match().test(text)) {
                  if (items.size() == q.limit()) {
                    next[0] = new Cursor(chunk[0], n);
                  } else {
                    items.add(new Item(at, text, null));
                  }
                }
              };
          while (next[0] == null && r.next()) {
            chunk[0] = r.getLong(1);
            inChunk[0] = 0;
            Instant at = r.getTimestamp(2).toInstant();
            byte[] data = r.getBytes(3);
            long dropped = r.getLong(4);
            String note = r.getString(5);
            if (dropped > 0 || data == null) {
              lines.gap(sink); // what was held ends here: it counts as a line of this chunk
            }
            if (q.match() == null && next[0] == null && !(chunk[0] == start && skip > 0)) {
              if (dropped > 0) {
                marker(items, q, next, chunk[0], at, Markers.dropped(dropped));
              }
              if (note != null) {
                marker(items, q, next, chunk[0], at, note);
              }
            }
            if (data != null) {
              lines.feed(data, 0, data.length, at, sink);
            }
          }
          if (next[0] == null) {
            chunk[0] = Long.MAX_VALUE; // a partial last line is given but never a cursor into it
            lines.finish(sink);
          }
        }
      } finally {
        c.rollback();
      }
    }
    return new Page(items, next[0]);
  }

  private static void marker(
      List<Item> items, Query q, Cursor[] next, long chunk, Instant at, String note) {
    if (items.size() == q.limit()) {
      next[0] = new Cursor(chunk, 0);
    } else {
      items.add(new Item(at, null, note));
    }
  }

  /** The last {@code count} lines (and markers) before {@code to}: a terminal's scrollback. */
  public List<Item> tail(long deviceId, String target, String encoding, Instant to, int count)
      throws SQLException {
    long firstChunk = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select id, size from console_log_chunks where device_id = ? and target = ?"
                    + " and at < ? order by id desc")) {
      s.setFetchSize(FETCH);
      s.setLong(1, deviceId);
      s.setString(2, target);
      s.setTimestamp(3, Timestamp.from(to));
      try (ResultSet r = s.executeQuery()) {
        long bytes = 0;
        while (r.next() && bytes < TAIL_BYTES) {
          firstChunk = r.getLong(1);
          bytes += r.getInt(2);
        }
      }
    }
    if (firstChunk == 0) {
      return List.of();
    }
    Page all =
        page(
            new Query(
                deviceId,
                target,
                encoding,
                Instant.EPOCH,
                to,
                new Cursor(firstChunk, 0),
                null,
                Integer.MAX_VALUE));
    ArrayDeque<Item> last = new ArrayDeque<>();
    for (Item i : all.items()) {
      last.addLast(i);
      if (last.size() > count) {
        last.removeFirst();
      }
    }
    return List.copyOf(last);
  }

  /** Writes the bytes the device printed in the range, as they came. */
  public void raw(long deviceId, String target, Instant from, Instant to, OutputStream out)
      throws SQLException, IOException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "select data from console_log_chunks where device_id = ? and target = ?"
                  + " and at >= ? and at < ? and data is not null order by id")) {
        s.setFetchSize(FETCH);
        s.setLong(1, deviceId);
        s.setString(2, target);
        s.setTimestamp(3, Timestamp.from(from));
        s.setTimestamp(4, Timestamp.from(to));
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            out.write(r.getBytes(1));
          }
        }
      } finally {
        c.rollback();
      }
    }
  }
}
