package io.tether.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * A real PostgreSQL server run by the portal itself when no external database is configured: data
 * in {@code <data dir>/postgres} (kept across restarts), loopback only, password authentication,
 * stopped on shutdown, and an orphan of a killed run stopped at the next start.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  public static final String USER = "tether";
  public static final String DATABASE = "tether";

  /** initdb plus first start on a slow disk; generous, a healthy start takes about 2 s. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** pg_ctl's wait for a fast shutdown. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final Path binaries;
  private final Path pgData;
  private final ServerLauncher launcher;
  private final int port;
  private final String password;
  private volatile boolean stopped;

  private EmbeddedPostgres(
      Path binaries, Path pgData, ServerLauncher launcher, int port, String password) {
    this.binaries = binaries;
    this.pgData = pgData;
    this.launcher = launcher;
    this.port = port;
    this.password = password;
  }

  /**
   * Starts (initialising on first use) the server for {@code dataDir}. {@code launchMode} is
   * "auto", "namespace" or "user" (see {@link ServerLauncher}); {@code log} gets one line per step
   * worth telling an operator.
   */
  public static EmbeddedPostgres start(Path dataDir, String launchMode, Consumer<String> log)
      throws IOException {
    return start(dataDir, launchMode, java.util.Set.of(), log);
  }

  /**
   * As {@link #start(Path, String, Consumer)}, never choosing one of {@code reservedPorts} (the
   * portal's own HTTP and management ports, which may not be bound yet).
   */
  public static EmbeddedPostgres start(
      Path dataDir, String launchMode, java.util.Set<Integer> reservedPorts, Consumer<String> log)
      throws IOException {
    Path pgData = dataDir.resolve("postgres");
    ClusterVersion.requireCompatible(pgData, PostgresBinaries.major());
    OrphanedServer.stopIfRunning(pgData, log);
    Path binaries = PostgresBinaries.unpack(dataDir.resolve("postgres-bin"));
    ServerLauncher launcher = ServerLauncher.detect(launchMode);
    if (launcher.mode() != ServerLauncher.Mode.DIRECT) {
      log.accept(launcher.describe());
    }
    String password = secret(dataDir.resolve("postgres.password"));
    boolean fresh = !Files.exists(pgData.resolve("PG_VERSION"));
    Files.createDirectories(pgData);
    launcher.prepare(binaries, pgData);
    if (fresh) {
      initdb(binaries, pgData, launcher, password);
      log.accept(
          "initialised a new PostgreSQL " + PostgresBinaries.version() + " cluster in " + pgData);
    }
    int port = freeLoopbackPort(reservedPorts);
    EmbeddedPostgres server = new EmbeddedPostgres(binaries, pgData, launcher, port, password);
    server.startServer();
    server.ensureDatabase();
    log.accept(
        "embedded PostgreSQL " + PostgresBinaries.version() + " listening on 127.0.0.1:" + port);
    return server;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  public int port() {
    return port;
  }

  private static void initdb(Path binaries, Path pgData, ServerLauncher launcher, String password)
      throws IOException {
    Path pwFile = pgData.resolveSibling("postgres.pwfile");
    Files.deleteIfExists(pwFile);
    Files.createFile(
        pwFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(pwFile, password);
      if (launcher.mode() == ServerLauncher.Mode.UNPRIVILEGED_USER) {
        Exec.run(List.of("chown", ServerLauncher.FALLBACK_USER, pwFile.toString()), STOP_TIMEOUT);
      }
      List<String> initdb =
          List.of(
              binaries.resolve("bin/initdb").toString(),
              "-D",
              pgData.toString(),
              "-U",
              USER,
              "--pwfile=" + pwFile,
              "-A",
              "scram-sha-256",
              "-E",
              "UTF8",
              "--locale=C");
      Exec.Result result = Exec.run(launcher.command(initdb), START_TIMEOUT);
      if (!result.ok()) {
        throw new IOException("initdb failed: " + lastLine(result.output()));
      }
    } finally {
      Files.deleteIfExists(pwFile);
    }
  }

  private void startServer() throws IOException {
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
    Exec.Result result =
        Exec.run(
            launcher.command(
                List.of(
                    pgCtl(),
                    "-D",
                    pgData.toString(),
                    "-l",
                    pgData.resolve("server.log").toString(),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    Long.toString(START_TIMEOUT.toSeconds()),
                    "start")),
            START_TIMEOUT.plusSeconds(5));
    if (!result.ok()) {
      throw new IOException(
          "PostgreSQL did not start: "
              + lastLine(result.output())
              + " (see "
              + pgData.resolve("server.log")
              + ")");
    }
  }

  private void ensureDatabase() throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, USER, password);
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
      if (!rs.next()) {
        s.execute("create database " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IOException("cannot prepare the database '" + DATABASE + "': " + e.getMessage(), e);
    }
  }

  /**
   * Stops the server (fast: open transactions roll back, every connection is dropped) and starts it
   * again on the same port, as an administrator's restart or a minor upgrade of PostgreSQL would:
   * what the portal's recovery is tested against.
   */
  public synchronized void restart() throws IOException {
    restart(() -> {});
  }

  /** {@link #restart()}, running {@code whileDown} between the stop and the start. */
  public synchronized void restart(Runnable whileDown) throws IOException {
    Exec.Result result = stopServer();
    if (!result.ok()) {
      throw new IOException("PostgreSQL did not stop: " + lastLine(result.output()));
    }
    try {
      whileDown.run();
    } finally {
      startServer();
    }
  }

  /** Fast shutdown: open transactions are rolled back, the cluster is left consistent. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      Exec.Result result = stopServer();
      if (!result.ok()) {
        OrphanedServer.stopIfRunning(pgData, line -> {});
      }
    } catch (IOException e) {
      OrphanedServer.stopIfRunning(pgData, line -> {});
    }
  }

  /** {@code pg_ctl stop -m fast}, waiting for the server to be gone. */
  private Exec.Result stopServer() throws IOException {
    return Exec.run(
        launcher.command(
            List.of(
                pgCtl(),
                "-D",
                pgData.toString(),
                "-m",
                "fast",
                "-w",
                "-t",
                Long.toString(STOP_TIMEOUT.toSeconds()),
                "stop")),
        STOP_TIMEOUT.plusSeconds(5));
  }

  private String pgCtl() {
    return binaries.resolve("bin/pg_ctl").toString();
  }

  private static int freeLoopbackPort(java.util.Set<Integer> reserved) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (!reserved.contains(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
    throw new IOException("no free loopback port for PostgreSQL");
  }

  /** The server's password: random, generated once, kept in the data dir readable only by us. */
  private static String secret(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String value = HexFormat.of().formatHex(bytes);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, value);
    return value;
  }

  static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1].strip();
  }
}
