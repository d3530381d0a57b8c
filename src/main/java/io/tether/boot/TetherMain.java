package io.tether.boot;

import io.quarkus.runtime.Quarkus;
import io.tether.db.DatabaseProbe;
import io.tether.db.DatabaseStartException;
import io.tether.db.EmbeddedPostgres;
import java.time.Duration;
import java.util.Map;

/**
 * Serving the portal (the jar run without a command, see {@code io.tether.ops.PortalMain}):
 * validates settings, takes the data dir, starts the embedded database when no external one is
 * configured, then hands over to Quarkus.
 */
public final class TetherMain {
  /** Upper bound on waiting for the application's own shutdown before stopping the database. */
  static final Duration APPLICATION_SHUTDOWN_WAIT = Duration.ofSeconds(30);

  /**
   * How long a node of a cluster keeps serving after SIGTERM with its readiness DOWN (one node: the
   * 500 ms of application.properties): the balancer must notice and stop sending it requests before
   * it stops listening. The shipped deploy/haproxy/haproxy.cfg notices within inter 1 s × fall 2
   * plus a check's own time; HaproxyConfigTest holds the two together.
   */
  public static final Duration CLUSTER_DRAIN = Duration.ofSeconds(5);

  /**
   * Held for the life of the process: an unreferenced lock would be released when its channel is
   * garbage-collected, letting a second portal take the data dir (and stop our PostgreSQL).
   */
  private static java.nio.channels.FileLock dataDirLock;

  TetherMain() {}

  /** Serves until shutdown; exits 2 on a bad setting, 1 on any other failure to start. */
  public static void serve(String... args) {
    try {
      prepare(System.getenv());
    } catch (SettingException | DatabaseStartException | ClusterAdmission.Refused e) {
      BootLog.fatal(e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      BootLog.fatal("cannot start: " + e.getMessage());
      System.exit(1);
    }
    Quarkus.run(args);
  }

  static void prepare(Map<String, String> env) throws Exception {
    BootSettings settings = BootSettings.fromEnvironment(env);
    dataDirLock = DataDirLock.acquire(settings.dataDir());
    System.setProperty("tether.data-dir", settings.dataDir().toString());
    NodeIdentity identity = NodeIdentity.loadOrCreate(settings.dataDir(), settings.secretKeyFile());
    BootLog.info(
        "node "
            + identity.nodeId()
            + (settings.cluster() ? " at " + settings.nodeUrl().get() : "")
            + ", data dir "
            + settings.dataDir());
    System.setProperty(
        "quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName",
        NodeIdentity.connectionName(identity.nodeId()));
    configureTls(settings);
    if (settings.dbUrl().isPresent()) {
      String url = settings.dbUrl().get();
      DatabaseProbe.requireReachable(DatabaseProbe.endpoint(url));
      if (settings.cluster()) {
        ClusterAdmission.check(url, settings.dbUser(), settings.dbPassword(), identity);
        System.setProperty("quarkus.shutdown.delay", CLUSTER_DRAIN.toMillis() + "ms");
      }
      System.setProperty("quarkus.datasource.jdbc.url", url);
      settings.dbUser().ifPresent(u -> System.setProperty("quarkus.datasource.username", u));
      settings.dbPassword().ifPresent(p -> System.setProperty("quarkus.datasource.password", p));
      return;
    }
    EmbeddedPostgres postgres =
        EmbeddedPostgres.start(
            settings.dataDir(),
            settings.dbEmbeddedAs(),
            java.util.Set.of(settings.httpPort(), settings.managementPort()),
            BootLog::info);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ShutdownOrder.awaitApplicationStopped(APPLICATION_SHUTDOWN_WAIT);
                  postgres.close();
                },
                "embedded-postgres-stop"));
    System.setProperty("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
    System.setProperty("quarkus.datasource.username", postgres.user());
    System.setProperty("quarkus.datasource.password", postgres.password());
  }

  private static void configureTls(BootSettings settings) {
    if (!settings.tls()) {
      return;
    }
    System.setProperty("quarkus.tls.key-store.pem.0.cert", settings.tlsCert().get().toString());
    System.setProperty("quarkus.tls.key-store.pem.0.key", settings.tlsKey().get().toString());
    System.setProperty("quarkus.http.ssl-port", Integer.toString(settings.httpPort()));
    System.setProperty("quarkus.http.insecure-requests", "disabled");
  }
}
