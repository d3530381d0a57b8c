package io.tether.db;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A write that lost a race to a unique index (SQLSTATE 23505): two requests made the same name at
 * the same moment, and the check before the insert saw neither. Answered as a conflict naming the
 * field, never as a server error; the losing request changed nothing (its transaction rolled back).
 */
public final class UniqueRace {
  /** The unique indexes a request can race on, by the API field each one keeps unique. */
  static final Map<String, String> FIELDS =
      Map.of(
          "devices_name_live_key", "name",
          "users_username_key", "username",
          "console_rules_group_name", "name",
          "agent_upgrades_one_open", "agent",
          "ssh_keys_fingerprint_key", "publicKey");

  private UniqueRace() {}

  /** The API field of the unique index {@code failure} violated, if it is one. */
  public static Optional<String> field(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        String constraint = constraint(sql);
        return Optional.of(constraint == null ? "" : FIELDS.getOrDefault(constraint, ""));
      }
    }
    return Optional.empty();
  }

  private static String constraint(SQLException sql) {
    if (sql instanceof PSQLException p) {
      ServerErrorMessage m = p.getServerErrorMessage();
      return m == null ? null : m.getConstraint();
    }
    return null;
  }
}
