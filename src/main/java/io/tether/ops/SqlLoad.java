package io.tether.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Reads back what {@link SqlDump} wrote: its header, and its rows in one transaction. */
final class SqlLoad {
  private SqlLoad() {}

  /** The {@code -- name: value} lines at the top of a dump. */
  static Map<String, String> header(InputStream dump) throws IOException {
    Map<String, String> header = new LinkedHashMap<>();
    BufferedReader in = reader(dump);
    String line;
    while ((line = in.readLine()) != null && line.startsWith("-- ")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        header.put(line.substring(3, colon), line.substring(colon + 2).strip());
      }
    }
    return header;
  }

  /**
   * Empties the tables, loads every COPY block into a schema at the dump's version and moves each
   * identity sequence past the highest id loaded; commits once at the end. Answers the number of
   * rows.
   */
  static long load(Connection c, InputStream dump) throws SQLException, IOException {
    c.setAutoCommit(false);
    try {
      emptyTables(c);
      long rows = 0;
      BufferedReader in = reader(dump);
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("COPY ") && line.endsWith(" FROM stdin;")) {
          rows += copy(c, line.substring(0, line.length() - 1), in);
        } else if (!line.isBlank() && !line.startsWith("--")) {
          try (Statement s = c.createStatement()) {
            s.execute(line);
          }
        }
      }
      advanceIdentities(c);
      c.commit();
      return rows;
    } catch (SQLException | IOException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  private static long copy(Connection c, String sql, BufferedReader in)
      throws SQLException, IOException {
    CopyIn copy = ((PGConnection) c).getCopyAPI().copyIn(sql);
    try {
      String row;
      while ((row = in.readLine()) != null && !row.equals("\\.")) {
        byte[] bytes = (row + "\n").getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
      }
      if (row == null) {
        throw new IOException("the dump ends inside " + sql);
      }
      return copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** Migrations seed rows (the default device group); the dump holds them as they were. */
  private static void emptyTables(Connection c) throws SQLException {
    List<String> tables = SqlDump.tablesInOrder(c);
    if (!tables.isEmpty()) {
      try (Statement s = c.createStatement()) {
        s.execute("TRUNCATE " + String.join(", ", tables.stream().map(SqlDump::quote).toList()));
      }
    }
  }

  /** COPY writes explicit ids into identity columns; the next generated id must follow them. */
  private static void advanceIdentities(Connection c) throws SQLException {
    List<String[]> identities = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select table_name, column_name from information_schema.columns where"
                    + " table_schema = current_schema() and is_identity = 'YES'")) {
      while (rs.next()) {
        identities.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    for (String[] identity : identities) {
      String table = SqlDump.quote(identity[0]);
      String column = SqlDump.quote(identity[1]);
      try (Statement s = c.createStatement()) {
        s.executeQuery(
                "select setval(pg_get_serial_sequence('"
                    + table.replace("'", "''")
                    + "', '"
                    + identity[1].replace("'", "''")
                    + "'), coalesce((select max("
                    + column
                    + ") from "
                    + table
                    + "), 0) + 1, false)")
            .close();
      }
    }
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
