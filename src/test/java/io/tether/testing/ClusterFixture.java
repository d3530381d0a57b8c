package io.tether.testing;

import io.tether.boot.ClusterAdmission;
import io.tether.boot.NodeIdentity;
import io.tether.db.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster for an IT class, as a JUnit extension on a static field: one PostgreSQL (zonky's, as
 * the portal embeds it), {@code size} packaged nodes on 127.0.0.2, 127.0.0.3… (one {@code
 * secret.key} through TETHER_SECRET_KEY_FILE, each its own data dir, loopback {@code http://} node
 * URL and ports; the balancer's 127.0.0.1 trusted for X-Forwarded-For) and HAProxy on 127.0.0.1
 * running the shipped deploy/haproxy/haproxy.cfg ({@link HaproxyConfig}) over HTTPS with a
 * throwaway certificate ({@link #ca()}), its TCP section uncommented: a few link ports and ingress
 * ports ({@link #linkPorts()}) on 127.0.0.1 sent with PROXY protocol v2 to every node, which binds
 * them on its own address with PROXY protocol on.
 *
 * <pre>{@code
 * @RegisterExtension static final ClusterFixture cluster = ClusterFixture.start("balancer", 3);
 * }</pre>
 *
 * Every test begins with every node running and in the balancer: a node an earlier test stopped or
 * killed is started again before it (a killed one once the others no longer count it live), so the
 * last test's victim is never restarted for nothing. Sign-ins through the balancer come from
 * 127.0.0.1, which the cluster's sign-in throttle counts together (30 a minute); {@link
 * LoopbackClient} signs in from other loopback addresses.
 */
public final class ClusterFixture
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final String BALANCER_HOST = "127.0.0.1";

  /** A started node in the balancer: rise 2 checks a second apart, on a busy machine. */
  private static final Duration BACK_IN_BALANCER = Duration.ofSeconds(15);

  private final String name;
  private final int size;
  private final List<PortalProcess> nodes = new ArrayList<>();
  private Path work;
  private EmbeddedPostgres database;
  private HaproxyProcess balancer;
  private PortalClient admin;
  private final Started started = new Started();

  /** Link and ingress port ranges: bound by every node on its address, and by the balancer. */
  private final String linkPorts;

  private final String ingressPorts;

  private ClusterFixture(String name, int size) {
    this.name = name;
    this.size = size;
    List<String> hosts = new ArrayList<>(List.of(BALANCER_HOST));
    for (int i = 0; i < size; i++) {
      hosts.add(address(i));
    }
    linkPorts = Ports.block(PORTS_PER_RANGE, hosts);
    ingressPorts = Ports.block(PORTS_PER_RANGE, hosts);
  }

  /** Link ports and ingress ports a cluster test may use: a few devices each. */
  private static final int PORTS_PER_RANGE = 8;

  public static ClusterFixture start(String name, int size) {
    return new ClusterFixture(name, size);
  }

  /**
   * The nodes run the production timers (heartbeat 20 s, dead-after 60 s) instead of the tests'
   * short ones, which a machine busy with a storm of thousands of connects cannot keep: for
   * benchmarks.
   */
  public ClusterFixture withProductionTimers() {
    productionTimers = true;
    return this;
  }

  private boolean productionTimers;

  /** The nodes' -Xmx (PortalProcess's default unless set): benchmarks match a single portal's. */
  public ClusterFixture withMaxHeap(String xmx) {
    maxHeap = xmx;
    return this;
  }

  private String maxHeap;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    TestTools.require("haproxy");
    work = Build.workDir(name);
    database = started.add(EmbeddedPostgres.start(work.resolve("pg"), "auto", line -> {}));
    Path secretKey = secretKey(work.resolve(NodeIdentity.SECRET_FILE));
    for (int i = 0; i < size; i++) {
      PortalProcess node =
          PortalProcess.create(name + "-node" + (i + 1), env(i, secretKey), dataDir(i));
      if (maxHeap != null) {
        node.maxHeap(maxHeap);
      }
      nodes.add(started.add(node));
    }
    startTogether(nodes);
    Path haproxy = Files.createDirectories(work.resolve("haproxy"));
    balancer =
        started.add(
            HaproxyProcess.inFrontOf(haproxy, BALANCER_HOST, nodes, linkPorts, ingressPorts));
    for (int i = 0; i < size; i++) {
      balancer.awaitServer(i, true, BACK_IN_BALANCER);
    }
  }

  /** Starts {@code these} at once (the common pool has one thread on two cores). */
  private static void startTogether(List<PortalProcess> these) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, these.size()));
    try {
      List<Future<?>> starts = new ArrayList<>();
      for (PortalProcess node : these) {
        starts.add(pool.submit((Runnable) node::start));
      }
      for (Future<?> start : starts) {
        try {
          start.get();
        } catch (ExecutionException e) {
          throw new AssertionError(e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One {@code secret.key} for every node (TETHER_SECRET_KEY_FILE), made as README.md says: 32
   * random bytes in base64, readable by its owner only.
   */
  private static Path secretKey(Path file) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private Path dataDir(int i) {
    return work.resolve("node" + (i + 1)).resolve("data");
  }

  private Map<String, String> env(int i, Path secretKey) {
    String address = address(i);
    Map<String, String> env = new HashMap<>();
    if (productionTimers) {
      PortalProcess.SHORT_TIMERS.keySet().forEach(k -> env.put(k, null));
    }
    env.put("TETHER_SECRET_KEY_FILE", secretKey.toString());
    env.put("TETHER_DB_URL", database.jdbcUrl());
    env.put("TETHER_DB_USER", database.user());
    env.put("TETHER_DB_PASSWORD", database.password());
    env.put("TETHER_HTTP_HOST", address);
    env.put("TETHER_NODE_URL", "http://" + address + ":" + Ports.free());
    env.put("TETHER_TRUSTED_PROXIES", BALANCER_HOST + "/32");
    env.put("TETHER_LINK_BIND", address);
    env.put("TETHER_INGRESS_BIND", address);
    env.put("TETHER_LINK_PORTS", linkPorts);
    env.put("TETHER_INGRESS_PORTS", ingressPorts);
    env.put("TETHER_LINK_PROXY_PROTOCOL", "on");
    env.put("TETHER_INGRESS_PROXY_PROTOCOL", "on");
    return env;
  }

  /** The address node {@code i} listens on: 127.0.0.2 for the first. */
  public static String address(int i) {
    return "127.0.0." + (2 + i);
  }

  /** Starts again every node a test stopped or killed, and waits until it is back in HAProxy. */
  @Override
  public void beforeEach(ExtensionContext context) {
    for (int i = 0; i < size; i++) {
      if (!nodes.get(i).process().isAlive()) {
        restart(i);
      }
    }
  }

  /**
   * HAProxy first, then the nodes (draining together, not one after the other), then PostgreSQL.
   */
  @Override
  public void afterAll(ExtensionContext context) {
    for (PortalProcess node : nodes) {
      if (node.process() != null && node.process().isAlive()) {
        node.process().signal("TERM");
      }
    }
    started.close();
  }

  /** The link port range ("FIRST-LAST"): HAProxy on 127.0.0.1 carries it to every node. */
  public String linkPorts() {
    return linkPorts;
  }

  public int size() {
    return size;
  }

  public PortalProcess node(int i) {
    return nodes.get(i);
  }

  /** Node {@code i}'s id (its data dir's {@code node-id}), as {@code GET /api/nodes} lists it. */
  public String nodeId(int i) {
    try {
      return Files.readString(dataDir(i).resolve(NodeIdentity.NODE_ID_FILE)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HaproxyProcess balancer() {
    return balancer;
  }

  /** The portal's origin through the balancer. */
  public String baseUrl() {
    return balancer.baseUrl();
  }

  /** Where agents dial through the balancer (with {@code --ca} {@link #ca()}). */
  public String tunnelUrl() {
    return baseUrl().replaceFirst("^https", "wss") + "/tunnel";
  }

  /** The balancer's certificate, for agents', the CLI's and simulators' {@code --ca}. */
  public Path ca() {
    return balancer.certificate().certificate();
  }

  public SSLContext tls() {
    return balancer.tls();
  }

  /** The admin signed in through the balancer (once, on first use). */
  public synchronized PortalClient admin() {
    if (admin == null) {
      admin = PortalClient.signIn(baseUrl(), tls(), "admin", PortalProcess.ADMIN_PASSWORD);
    }
    return admin;
  }

  /** An agent dialling through the balancer, started. */
  public AgentProcess agent(PortalClient.NewDevice device, List<String> targets) {
    return AgentProcess.start(
        device.name(), tunnelUrl(), device.token(), targets, List.of("--ca", ca().toString()));
  }

  /**
   * An agent dialling node {@code i} directly (its plain {@code ws://} main port, not the
   * balancer), started: for a test that needs the device held by a given node.
   */
  public AgentProcess agentOn(int i, PortalClient.NewDevice device, List<String> targets) {
    String tunnel = nodes.get(i).baseUrl().replaceFirst("^http", "ws") + "/tunnel";
    return AgentProcess.start(device.name(), tunnel, device.token(), targets, List.of());
  }

  /**
   * Restarts the cluster's PostgreSQL (fast stop: every connection dropped, then started again on
   * the same port) under the running nodes; returns once it accepts connections again.
   */
  public void restartDatabase() throws IOException {
    database.restart();
  }

  /** {@link #restartDatabase()}, running {@code whileDown} while PostgreSQL is stopped. */
  public void restartDatabase(Runnable whileDown) throws IOException {
    database.restart(whileDown);
  }

  /** SIGKILL node {@code i}: no drain, no goodbye, as a crash or a pulled plug. */
  public void kill9(int i) {
    nodes.get(i).kill9();
  }

  /**
   * Starts node {@code i} again on its data dir and waits until HAProxy sends it requests. After a
   * kill the others must first stop counting it live, or it would refuse to start.
   */
  public void restart(int i) {
    Await.until(
        "node " + (i + 1) + " no longer counted live by the cluster",
        Duration.ofSeconds(ClusterAdmission.LIVE_WITHIN_SECONDS + 15),
        () -> !heldLive(nodeId(i)));
    nodes.get(i).start();
    balancer.awaitServer(i, true, BACK_IN_BALANCER);
  }

  /** Whether a live node holds {@code nodeId} in the cluster's eyes (ClusterAdmission's rule). */
  private boolean heldLive(String nodeId) {
    try (Connection db = database();
        PreparedStatement s =
            db.prepareStatement(
                "select count(*) from portal_node where id = ? and state in ('live', 'draining')"
                    + " and heartbeat > now() - make_interval(secs => ?)")) {
      s.setString(1, nodeId);
      s.setInt(2, ClusterAdmission.LIVE_WITHIN_SECONDS);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1) > 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A connection to the cluster's database, for what no API shows. */
  public Connection database() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  /**
   * The database's sessions that are not idle, one line each (who, state, what it waits for, since
   * when its transaction began, the statement): what to print when a node's judgement is late.
   */
  public String activity() {
    StringBuilder out = new StringBuilder();
    try (Connection db = database();
        PreparedStatement s =
            db.prepareStatement(
                "select application_name, state, wait_event_type, wait_event,"
                    + " round(extract(epoch from now() - xact_start)::numeric, 1), left(query, 90)"
                    + " from pg_stat_activity where datname = current_database()"
                    + " and state <> 'idle' and pid <> pg_backend_pid()");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.append(
            String.format(
                "  %s | %s | %s/%s | xact %s s | %s%n",
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6)));
      }
    } catch (SQLException e) {
      out.append("  (not read: ").append(e.getMessage()).append(")\n");
    }
    return out.toString();
  }

  /** The one number {@code sql} (a query without parameters) answers in the cluster's database. */
  public long scalar(String sql) {
    try (Connection db = database();
        PreparedStatement s = db.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
