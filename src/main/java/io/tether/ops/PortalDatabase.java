package io.tether.ops;

import io.tether.boot.BootSettings;
import io.tether.boot.DataDirLock;
import io.tether.boot.SettingException;
import io.tether.db.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The portal's database as a command reaches it. With {@code TETHER_DB_URL}: that database. Else
 * the embedded one: when no portal holds the data dir, the command takes the data dir's lock and
 * starts the embedded server itself (stopping it when done); when a portal runs, the command
 * connects to that portal's server on the loopback port in {@code postgres/postmaster.pid} with the
 * password in {@code postgres.password} (both in the data dir, readable by the portal's user only).
 */
final class PortalDatabase implements AutoCloseable {
  /** Whether a command may work on a running portal's database, or needs the data dir to itself. */
  enum Use {
    BESIDE_A_RUNNING_PORTAL,
    PORTAL_STOPPED
  }

  private final BootSettings settings;
  private final String url;
  private final String user;
  private final String password;
  private final FileLock lock;
  private final EmbeddedPostgres started;

  private PortalDatabase(
      BootSettings settings,
      String url,
      String user,
      String password,
      FileLock lock,
      EmbeddedPostgres started) {
    this.settings = settings;
    this.url = url;
    this.user = user;
    this.password = password;
    this.lock = lock;
    this.started = started;
  }

  static BootSettings settings(Map<String, String> env) throws CommandException {
    try {
      return BootSettings.fromEnvironment(env);
    } catch (SettingException e) {
      throw new CommandException(CheckConfig.PROBLEMS, e.getMessage());
    }
  }

  static PortalDatabase open(Map<String, String> env, Use use, Console console)
      throws CommandException {
    BootSettings settings = settings(env);
    Path dataDir = settings.dataDir();
    FileLock lock = tryLock(dataDir);
    if (lock == null && use == Use.PORTAL_STOPPED) {
      throw new CommandException(
          CommandException.REFUSED,
          "refused: "
              + dataDir
              + " is held by a running Tether portal; stop it first (systemctl stop"
              + " tether-portal)");
    }
    if (settings.dbUrl().isPresent()) {
      return new PortalDatabase(
          settings,
          settings.dbUrl().get(),
          settings.dbUser().orElse(null),
          settings.dbPassword().orElse(null),
          lock,
          null);
    }
    if (lock == null) {
      return running(settings);
    }
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.start(
              dataDir,
              settings.dbEmbeddedAs(),
              Set.of(settings.httpPort(), settings.managementPort()),
              line -> console.err().println(line));
      return new PortalDatabase(
          settings, postgres.jdbcUrl(), postgres.user(), postgres.password(), lock, postgres);
    } catch (IOException | RuntimeException e) {
      release(lock);
      throw new CommandException(
          CommandException.FAILED, "cannot start the embedded database: " + e.getMessage(), e);
    }
  }

  /** The server of the portal that holds the data dir. */
  private static PortalDatabase running(BootSettings settings) throws CommandException {
    Path dataDir = settings.dataDir();
    try {
      List<String> pid =
          Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"), StandardCharsets.US_ASCII);
      String secret = Files.readString(dataDir.resolve("postgres.password")).trim();
      String url =
          "jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/" + EmbeddedPostgres.DATABASE;
      return new PortalDatabase(settings, url, EmbeddedPostgres.USER, secret, null, null);
    } catch (IOException | IndexOutOfBoundsException e) {
      throw new CommandException(
          CommandException.REFUSED,
          "refused: a portal holds "
              + dataDir
              + " but its database is not running (is it starting or stopping?); try again",
          e);
    }
  }

  private static FileLock tryLock(Path dataDir) {
    try {
      return DataDirLock.acquire(dataDir);
    } catch (SettingException e) {
      return null;
    }
  }

  BootSettings settings() {
    return settings;
  }

  Path dataDir() {
    return settings.dataDir();
  }

  boolean external() {
    return settings.dbUrl().isPresent();
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** A new connection; refuses with one line when the database cannot be reached. */
  Connection connect() throws CommandException {
    try {
      return DriverManager.getConnection(url, user, password);
    } catch (SQLException e) {
      throw new CommandException(
          CommandException.REFUSED, "refused: cannot reach the database: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (started != null) {
      started.close();
    }
    release(lock);
  }

  private static void release(FileLock lock) {
    if (lock != null) {
      try {
        lock.channel().close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
    }
  }
}
