package io.tether.ops;

import io.tether.api.ApiException;
import io.tether.boot.Setting;
import io.tether.user.PasswordHasher;
import io.tether.user.Passwords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code reset-password USER [--password-stdin]}: the way back in when no admin can sign in. Works
 * on the server only (it needs the data dir or the database credentials), beside a running portal
 * or without one. Like an admin's reset in the UI it ends the user's web sessions and revokes their
 * API tokens (a reset usually means the account may be in the wrong hands), in one transaction with
 * an audit entry by {@value #ACTOR}. It also gives the user password sign-in back, and marks an
 * admin break-glass, so that it works while single sign-on is the only way in.
 */
final class ResetPassword implements ServerCommand.Action {
  /** The audit log's actor for changes made with server commands. */
  static final String ACTOR = "server-console";

  /** 18 random bytes: 24 URL-safe characters, 144 bits. */
  static final int RANDOM_PASSWORD_BYTES = 18;

  @Override
  public int run(List<String> args, Map<String, String> env, Console console)
      throws CommandException {
    boolean fromStdin = args.contains("--password-stdin");
    List<String> rest = args.stream().filter(a -> !a.equals("--password-stdin")).toList();
    if (rest.size() != 1 || rest.get(0).startsWith("-")) {
      throw CommandException.usage("usage: reset-password USER [--password-stdin]");
    }
    String username = rest.get(0);
    String password = fromStdin ? readLine(console) : randomPassword();
    try {
      Passwords.check("password", password);
    } catch (ApiException e) {
      throw CommandException.usage(e.getMessage());
    }
    try (PortalDatabase db =
            PortalDatabase.open(env, PortalDatabase.Use.BESIDE_A_RUNNING_PORTAL, console);
        Connection c = db.connect()) {
      // open() checked every setting, the hash cost among them
      String hash =
          PasswordHasher.hash(
              password, Integer.parseInt(Setting.PASSWORD_HASH_COST.read(env).orElseThrow()));
      Result result = reset(c, username, hash);
      if (!fromStdin) {
        console.out().println("new password for " + username + ": " + password);
      }
      console
          .out()
          .println(
              "password of "
                  + username
                  + " reset; "
                  + result.sessions()
                  + " web session(s) ended, "
                  + result.tokens()
                  + " API token(s) revoked"
                  + (result.disabled() ? "; note: the account is disabled" : ""));
      return 0;
    } catch (SQLException e) {
      throw new CommandException(CommandException.FAILED, "database error: " + e.getMessage(), e);
    }
  }

  record Result(int sessions, int tokens, boolean disabled) {}

  static Result reset(Connection c, String username, String hash)
      throws SQLException, CommandException {
    c.setAutoCommit(false);
    try {
      long id;
      boolean disabled;
      try (PreparedStatement find =
          c.prepareStatement("select id, disabled from users where username = ? for update")) {
        find.setString(1, username);
        ResultSet rs = find.executeQuery();
        if (!rs.next()) {
          throw new CommandException(CommandException.REFUSED, "no user named '" + username + "'");
        }
        id = rs.getLong(1);
        disabled = rs.getBoolean(2);
      }
      update(
          c,
          // the way back in must work while password sign-in is off (single sign-on): the
          // user's password signs in again, and an admin's also when the deployment forbids it
          "update users set password_hash = ?, password_changed_at = now(), password_login = true,"
              + " break_glass = (break_glass or admin) where id = ?",
          hash,
          id);
      int sessions =
          update(
              c,
              "update web_sessions set revoked_at = now() where user_id = ? and revoked_at is"
                  + " null",
              null,
              id);
      int tokens =
          update(
              c,
              "update api_tokens set revoked_at = now() where user_id = ? and revoked_at is null",
              null,
              id);
      try (PreparedStatement audit =
          c.prepareStatement(
              "insert into audit_events (actor, action, outcome, subject, detail)"
                  + " values (?, 'user.password', 'ok', ?, ?)")) {
        audit.setString(1, ACTOR);
        audit.setString(2, username);
        audit.setString(
            3,
            "reset with tether-portal reset-password; "
                + sessions
                + " web session(s) ended, "
                + tokens
                + " API token(s) revoked");
        audit.executeUpdate();
      }
      c.commit();
      return new Result(sessions, tokens, disabled);
    } catch (SQLException | CommandException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  /** Runs {@code sql} with an optional text first parameter and the user id last. */
  private static int update(Connection c, String sql, String text, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      if (text != null) {
        s.setString(i++, text);
      }
      s.setLong(i, id);
      return s.executeUpdate();
    }
  }

  private static String readLine(Console console) throws CommandException {
    try {
      String line =
          new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.UTF_8))
              .readLine();
      if (line == null) {
        throw CommandException.usage("--password-stdin: no password on standard input");
      }
      return line;
    } catch (IOException e) {
      throw new CommandException(CommandException.FAILED, "cannot read standard input", e);
    }
  }

  static String randomPassword() {
    byte[] bytes = new byte[RANDOM_PASSWORD_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
