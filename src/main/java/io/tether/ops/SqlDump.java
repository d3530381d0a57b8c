package io.tether.ops;

import io.tether.boot.BuildInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.postgresql.PGConnection;

/**
 * A data-only, plain-SQL dump of the portal's tables, taken in one REPEATABLE READ transaction so
 * that it is consistent while the portal keeps writing: a header of {@code -- name: value} lines
 * (the schema version first), then one {@code COPY ... FROM stdin} block per table, referenced
 * tables before the tables that reference them. psql can load it into a schema at that version;
 * {@link SqlLoad} does the same over JDBC. The schema itself comes from the migrations.
 */
final class SqlDump {
  static final String SCHEMA_VERSION = "schema-version";
  static final String TETHER_VERSION = "tether-version";
  static final String RECORDINGS = "recordings";

  /** Flyway's own table: the restore recreates it by migrating. */
  static final String HISTORY = "flyway_schema_history";

  /** Recording data: the one table {@code --without-recordings} leaves out. */
  static final String RECORDING_TABLE = "recording_chunks";

  private SqlDump() {}

  record Summary(String schemaVersion, int tables, long rows) {}

  static Summary write(Connection c, OutputStream out, boolean withRecordings)
      throws SQLException, IOException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setReadOnly(true);
    try {
      String schema = schemaVersion(c);
      line(out, "-- Tether data dump (data only; the schema comes from the migrations)");
      line(out, "-- " + SCHEMA_VERSION + ": " + schema);
      line(out, "-- " + TETHER_VERSION + ": " + BuildInfo.version());
      line(out, "-- " + RECORDINGS + ": " + (withRecordings ? "included" : "left out"));
      line(out, "SET client_encoding = 'UTF8';");
      long rows = 0;
      List<String> tables = tablesInOrder(c);
      for (String table : tables) {
        if (!withRecordings && table.equals(RECORDING_TABLE)) {
          continue;
        }
        String columns = String.join(", ", columns(c, table));
        line(out, "");
        line(out, "COPY " + quote(table) + " (" + columns + ") FROM stdin;");
        rows +=
            ((PGConnection) c)
                .getCopyAPI()
                .copyOut("COPY " + quote(table) + " (" + columns + ") TO STDOUT", out);
        line(out, "\\.");
      }
      c.commit();
      return new Summary(schema, tables.size(), rows);
    } finally {
      c.rollback();
    }
  }

  static String schemaVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select version from "
                    + HISTORY
                    + " where success and version is not null order by installed_rank desc limit"
                    + " 1")) {
      if (!rs.next()) {
        throw new SQLException("the database has no migrated Tether schema");
      }
      return rs.getString(1);
    }
  }

  /** The schema's tables, every table after the tables its foreign keys reference. */
  static List<String> tablesInOrder(Connection c) throws SQLException {
    Map<String, Set<String>> references = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select tablename from pg_tables where schemaname = current_schema() and tablename"
                    + " <> '"
                    + HISTORY
                    + "'")) {
      while (rs.next()) {
        references.put(rs.getString(1), new TreeSet<>());
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select t.relname, r.relname from pg_constraint k"
                    + " join pg_class t on t.oid = k.conrelid join pg_class r on r.oid ="
                    + " k.confrelid where k.contype = 'f' and k.connamespace ="
                    + " current_schema()::regnamespace")) {
      while (rs.next()) {
        if (references.containsKey(rs.getString(1)) && !rs.getString(1).equals(rs.getString(2))) {
          references.get(rs.getString(1)).add(rs.getString(2));
        }
      }
    }
    List<String> ordered = new ArrayList<>();
    Map<String, Set<String>> left = new LinkedHashMap<>(references);
    while (!left.isEmpty()) {
      String next =
          left.entrySet().stream()
              .filter(e -> ordered.containsAll(e.getValue()))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow(() -> new SQLException("foreign keys form a cycle: " + left.keySet()));
      ordered.add(next);
      left.remove(next);
    }
    return ordered;
  }

  /** The table's columns that hold data (generated columns are computed again on load). */
  private static List<String> columns(Connection c, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select column_name from information_schema.columns where table_schema ="
                + " current_schema() and table_name = ? and is_generated = 'NEVER' order by"
                + " ordinal_position")) {
      s.setString(1, table);
      ResultSet rs = s.executeQuery();
      while (rs.next()) {
        columns.add(quote(rs.getString(1)));
      }
    }
    return columns;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static void line(OutputStream out, String text) throws IOException {
    out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
