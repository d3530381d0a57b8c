package io.tether.testing;

import io.tether.db.OrphanedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;

/**
 * The packaged portal ({@code target/quarkus-app/quarkus-run.jar}) as a process: free ports, its
 * own data dir, short timers, -Xmx512m. Restartable on the same data dir; close() also stops its
 * embedded PostgreSQL, even after a kill -9.
 */
public final class PortalProcess implements AutoCloseable {
  /** Cold start on 2 busy cores: unpack PostgreSQL, initdb, Flyway, Quarkus. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** Log lines attached to a failed start. */
  private static final int LOG_TAIL_LINES = 60;

  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  /** Timers shortened so liveness and lockout behaviour can be observed in seconds. */
  public static final Map<String, String> SHORT_TIMERS =
      Map.of(
          "TETHER_HEARTBEAT", "1s",
          "TETHER_DEAD_AFTER", "3s",
          "TETHER_PRESENCE_INTERVAL", "2s",
          "TETHER_SHUTDOWN_RETRY_AFTER", "1s",
          "TETHER_LOGIN_LOCKOUT_WINDOW", "30s",
          "TETHER_LOGIN_LOCKOUT_DURATION", "3s");

  /**
   * bcrypt at its floor: at the shipped cost a sign-in costs the suite's C1-compiled portals ~0.1 s
   * of CPU each. PortalStartIT checks the setting reaches the hash; the default is unit-tested.
   */
  public static final Map<String, String> FAST_HASHING = Map.of("TETHER_PASSWORD_HASH_COST", "4");

  /** In a setting's value: replaced by the portal's HTTP port, chosen when it is created. */
  public static final String HTTP_PORT = "{httpPort}";

  private final String name;
  private final Path dataDir;
  private final Map<String, String> env;
  private final int httpPort;
  private final int managementPort;
  private String maxHeap = "512m";
  private int starts;
  private boolean ranDatabase;
  private JavaProcess process;

  private PortalProcess(String name, Path dataDir, Map<String, String> extraEnv) {
    this.name = name;
    this.dataDir = dataDir;
    this.httpPort = Ports.free();
    this.managementPort = Ports.free();
    this.env = new HashMap<>(SHORT_TIMERS);
    env.putAll(FAST_HASHING);
    env.put("TETHER_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("TETHER_HTTP_PORT", Integer.toString(httpPort));
    env.put("TETHER_HTTP_HOST", "127.0.0.1");
    env.put("TETHER_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("TETHER_DATA_DIR", dataDir.toString());
    env.putAll(extraEnv);
    env.values().removeIf(v -> v == null);
    // a setting that must name the portal's own port (TETHER_PUBLIC_URL, TETHER_WEB_DOMAIN)
    env.replaceAll((k, v) -> v.replace(HTTP_PORT, Integer.toString(httpPort)));
  }

  /** A portal with default test settings plus {@code env} (a null value removes a default). */
  public static PortalProcess create(String name, Map<String, String> env) {
    return new PortalProcess(name, Build.workDir(name).resolve("data"), env);
  }

  /** A portal on a given data dir (its logs go next to it). */
  public static PortalProcess create(String name, Map<String, String> env, Path dataDir) {
    return new PortalProcess(name, dataDir, env);
  }

  public static PortalProcess start(String name) {
    PortalProcess portal = create(name, Map.of());
    portal.start();
    return portal;
  }

  /** The portal's -Xmx from the next start on (default 512m); benchmarks give it more. */
  public PortalProcess maxHeap(String xmx) {
    this.maxHeap = xmx;
    return this;
  }

  /** Starts the process and waits until /q/health/ready answers UP. */
  public PortalProcess start() {
    process = launch();
    awaitReady("to become ready", this::ready);
    return this;
  }

  /** Launches a portal that serves HTTPS only and waits until it answers ready over TLS. */
  public PortalProcess startOverHttps(SSLContext trusting) {
    process = launch();
    HttpClient client =
        HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
    URI ready = URI.create("https://" + host() + ":" + httpPort() + "/q/health/ready");
    awaitReady(
        "to answer ready over HTTPS",
        () -> {
          try {
            return client
                    .send(
                        HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode()
                == 200;
          } catch (Exception e) {
            return false;
          }
        });
    return this;
  }

  /**
   * Waits for {@code ready} while the process lives. A portal that exits or never becomes ready
   * fails the test with the end of its log (so a CI failure says why), and must not outlive the
   * test, nor its database.
   */
  private void awaitReady(String what, BooleanSupplier ready) {
    try {
      Await.until(
          name + " " + what + " (log: " + process.logFile() + ")",
          START_TIMEOUT,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError(name + " exited with " + process.exitCode());
            }
            return ready.getAsBoolean();
          });
    } catch (AssertionError e) {
      process.kill9();
      OrphanedServer.stopIfRunning(dataDir.resolve("postgres"), line -> {});
      throw new AssertionError(e.getMessage() + "; its log ends:\n" + logTail(), e);
    }
    ranDatabase = true;
    PostgresBinariesTemplate.keep(dataDir);
  }

  /** The last lines of the log, enough to show a startup failure without flooding the report. */
  private String logTail() {
    List<String> lines = process.output().lines().toList();
    return String.join(
        "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }

  /** Starts the process expecting it to fail; returns once it has exited. */
  public JavaProcess startExpectingExit(Duration within) {
    process = launch();
    if (!process.waitFor(within)) {
      String output = process.output();
      process.kill9();
      throw new AssertionError(
          name + " was expected to exit within " + within + " but runs:\n" + output);
    }
    return process;
  }

  private JavaProcess launch() {
    starts++;
    Path log = dataDir.getParent().resolve("portal-" + starts + ".log");
    PostgresBinariesTemplate.seed(dataDir);
    return JavaProcess.start(
        Build.artifact("quarkus-app/quarkus-run.jar"), maxHeap, List.of(), env, log);
  }

  public boolean ready() {
    try {
      HttpResponse<String> response = get("/q/health/ready");
      return response.statusCode() == 200 && response.body().contains("\"UP\"");
    } catch (IOException e) {
      return false;
    }
  }

  public HttpResponse<String> get(String path) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  public String baseUrl() {
    return "http://" + host() + ":" + httpPort;
  }

  /** The address the main port listens on: 127.0.0.1 unless the test set TETHER_HTTP_HOST. */
  public String host() {
    return env.get("TETHER_HTTP_HOST");
  }

  public int httpPort() {
    return httpPort;
  }

  public int managementPort() {
    return managementPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public JavaProcess process() {
    return process;
  }

  /** Everything this portal has logged, over all its starts. */
  public String log() {
    StringBuilder all = new StringBuilder();
    for (int i = 1; i <= starts; i++) {
      try {
        all.append(
            Files.readString(
                dataDir.getParent().resolve("portal-" + i + ".log"), StandardCharsets.UTF_8));
      } catch (IOException e) {
        // not started that often
      }
    }
    return all.toString();
  }

  public void kill9() {
    process.kill9();
  }

  public void stop() {
    process.stop(Duration.ofSeconds(30));
  }

  /** A JDBC connection to this portal's embedded database (credentials from its data dir). */
  public Connection jdbc() throws SQLException, IOException {
    return DriverManager.getConnection(jdbcUrl(), "tether", postgresPassword());
  }

  /**
   * Moves the second factor of a user's browser sessions {@code minutes} into the past (no longer
   * "just now", nor within a group's ask-again minutes); answers how many sessions moved.
   */
  public int ageSessionFactors(long userId, int minutes) throws SQLException, IOException {
    try (Connection db = jdbc();
        java.sql.PreparedStatement sql =
            db.prepareStatement(
                "update web_sessions set factor_at = factor_at - make_interval(mins => ?)"
                    + " where user_id = ? and factor_at is not null")) {
      sql.setInt(1, minutes);
      sql.setLong(2, userId);
      return sql.executeUpdate();
    }
  }

  /** The URL of this portal's running embedded database (its port from postmaster.pid). */
  public String jdbcUrl() throws IOException {
    List<String> pid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
    return "jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/tether";
  }

  /** The password of user {@code tether} on this portal's embedded database. */
  public String postgresPassword() throws IOException {
    return Files.readString(dataDir.resolve("postgres.password")).trim();
  }

  public long postgresPid() {
    return OrphanedServer.postmasterPid(dataDir.resolve("postgres")).orElse(-1);
  }

  @Override
  public void close() {
    if (process != null) {
      process.stop(Duration.ofSeconds(30));
    }
    if (ranDatabase) {
      // only a portal that ran the database may stop it: another may share the data dir
      OrphanedServer.stopIfRunning(dataDir.resolve("postgres"), line -> {});
    }
  }
}
