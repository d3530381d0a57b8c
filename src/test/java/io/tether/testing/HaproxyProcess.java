package io.tether.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Debian's HAProxy ({@code /usr/sbin/haproxy}) in the foreground ({@code -db}) running the shipped
 * config in front of packaged nodes ({@link #inFrontOf}), HTTPS with a throwaway certificate, its
 * admin socket answering {@code show stat}. A start that fails reports HAProxy's own output; {@link
 * #close()} returns only once the process is gone.
 */
public final class HaproxyProcess implements AutoCloseable {
  public static final String BINARY = "/usr/sbin/haproxy";

  /** HAProxy parses, loads the certificate and binds in milliseconds; a busy machine, seconds. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  /** SIGTERM stops HAProxy at once; past this it is killed. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** One server's line of {@code show stat}: its status (UP, DOWN, MAINT…) and sessions so far. */
  public record Server(String status, long sessionsTotal, long sessionsNow) {
    /** Receiving requests: UP, or "UP 1/2" while failing checks have not yet reached fall. */
    public boolean up() {
      return status.startsWith("UP");
    }
  }

  /** What {@code haproxy -c} said about a config. */
  public record Checked(int exitCode, String output) {}

  /** The shipped file's backend of the nodes: server node1 is the first node, and so on. */
  public static final String BACKEND = "tether_nodes";

  private final Process process;
  private final Path log;
  private final Path socket;
  private final String baseUrl;
  private final SelfSignedCertificate certificate;

  private HaproxyProcess(
      Process process, Path log, Path socket, String baseUrl, SelfSignedCertificate certificate) {
    this.process = process;
    this.log = log;
    this.socket = socket;
    this.baseUrl = baseUrl;
    this.certificate = certificate;
  }

  /**
   * Runs the shipped config on {@code host} in front of {@code nodes} (files in {@code dir}) and
   * waits until its admin socket answers: by then every listener is bound.
   */
  public static HaproxyProcess inFrontOf(Path dir, String host, List<PortalProcess> nodes)
      throws Exception {
    return inFrontOf(dir, host, nodes, HaproxyConfig.shipped());
  }

  /**
   * As {@link #inFrontOf(Path, String, List)}, with the TCP section for link ports {@code
   * linkPorts} and ingress ports {@code ingressPorts} ("FIRST-LAST") on {@code host} too.
   */
  public static HaproxyProcess inFrontOf(
      Path dir, String host, List<PortalProcess> nodes, String linkPorts, String ingressPorts)
      throws Exception {
    return inFrontOf(
        dir,
        host,
        nodes,
        HaproxyConfig.shipped()
            .linkAndIngress(
                host, linkPorts, ingressPorts, nodes.stream().map(PortalProcess::host).toList()));
  }

  private static HaproxyProcess inFrontOf(
      Path dir, String host, List<PortalProcess> nodes, HaproxyConfig shipped) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, host);
    Path socket = dir.resolve("admin.sock");
    int httpsPort = Ports.free();
    Path config =
        shipped
            .certificate(certificate, dir)
            .bind(host, httpsPort, Ports.free())
            .statsSocket(socket)
            .servers(
                nodes.stream()
                    .map(n -> InetSocketAddress.createUnresolved(n.host(), n.httpPort()))
                    .toList())
            .write(dir.resolve("haproxy.cfg"));
    Path log = dir.resolve("haproxy.log");
    ProcessBuilder builder =
        new ProcessBuilder(BINARY, "-db", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    HaproxyProcess haproxy =
        new HaproxyProcess(
            builder.start(), log, socket, "https://" + host + ":" + httpsPort, certificate);
    try {
      Await.until(
          "HAProxy to answer on its admin socket " + socket,
          START_TIMEOUT,
          () -> {
            if (!haproxy.process.isAlive()) {
              throw new AssertionError("HAProxy exited with " + haproxy.process.exitValue());
            }
            return haproxy.answers();
          });
    } catch (AssertionError e) {
      haproxy.close();
      throw new AssertionError(e.getMessage() + "; HAProxy said:\n" + haproxy.output(), e);
    }
    return haproxy;
  }

  /** The portal's origin through HAProxy. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The certificate HAProxy serves (clients' {@code --ca}). */
  public SelfSignedCertificate certificate() {
    return certificate;
  }

  /** A client context trusting {@link #certificate()}. */
  public SSLContext tls() {
    try {
      return certificate.trustingContext();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** HAProxy's view of node {@code i} (server node{i+1}). */
  public Server server(int i) {
    Server server = servers(BACKEND).get("node" + (i + 1));
    if (server == null) {
      throw new AssertionError("HAProxy has no server node" + (i + 1) + ": " + servers(BACKEND));
    }
    return server;
  }

  /** Waits until HAProxy sends node {@code i} requests ({@code up}) or no longer does. */
  public void awaitServer(int i, boolean up, Duration within) {
    Await.until(
        "HAProxy to mark node" + (i + 1) + (up ? " UP" : " DOWN"),
        within,
        () -> server(i).up() == up);
  }

  /** {@code haproxy -c -f config}: the exit code and what HAProxy said. */
  public static Checked check(Path config) {
    try {
      Process p =
          new ProcessBuilder(BINARY, "-c", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("haproxy -c did not finish:\n" + output);
      }
      return new Checked(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + BINARY, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The servers of {@code backend} by name, as {@code show stat} has them now. */
  public Map<String, Server> servers(String backend) {
    Map<String, Server> servers = new LinkedHashMap<>();
    // # pxname,svname,qcur,qmax,scur,smax,slim,stot,...,status (field 17, from 0)
    for (String line : command("show stat").split("\n")) {
      List<String> f = List.of(line.split(",", -1));
      if (f.size() > 17 && f.get(0).equals(backend) && !f.get(1).equals("BACKEND")) {
        servers.put(
            f.get(1), new Server(f.get(17), Long.parseLong(f.get(7)), Long.parseLong(f.get(4))));
      }
    }
    return servers;
  }

  /** One command on the admin socket (non-interactive: HAProxy answers and closes). */
  public String command(String command) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        answer.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return answer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("HAProxy's admin socket " + socket, e);
    }
  }

  private boolean answers() {
    try {
      return command("show info").contains("Pid:");
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** What HAProxy has written (alerts and warnings: server state changes among them). */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no " + log + ")";
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops HAProxy and returns once its process is gone. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    if (process.isAlive()) {
      throw new IllegalStateException("HAProxy (pid " + process.pid() + ") outlived SIGKILL");
    }
  }
}
