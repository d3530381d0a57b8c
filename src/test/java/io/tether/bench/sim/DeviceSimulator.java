package io.tether.bench.sim;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Many device tunnels in one JVM on a few event-loop threads, for the benchmarks: reads device
 * tokens (one per line) from a file, connects devices {@code --from} to {@code --to} at a bounded
 * rate, spread over several 127.0.0.x source addresses (each has its own ephemeral-port range),
 * behaves like the agent (see {@link SimulatedDevice}) and prints a {@code online=N ...} line every
 * {@code --report-ms}. Runs until killed.
 *
 * <pre>
 * DeviceSimulator --url ws://127.0.0.1:8080/tunnel --tokens tokens.txt --from 0 --to 5000
 *                 [--rate 500] [--threads 2] [--sources 127.0.0.2,127.0.0.3] [--report-ms 1000]
 *                 [--ca ca.pem]
 * </pre>
 *
 * A {@code wss://} URL is dialled over TLS, trusting the PEM certificate of {@code --ca} (a test's
 * throwaway balancer) or the JVM's CAs.
 */
public final class DeviceSimulator {
  /** How often the ramp starts its next batch of connects: small batches, an even rate. */
  private static final long RAMP_TICK_MILLIS = 20;

  private DeviceSimulator() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parse(argv);
    URI url = URI.create(required(args, "url"));
    List<String> tokens = Files.readAllLines(Path.of(required(args, "tokens")));
    int from = Integer.parseInt(args.getOrDefault("from", "0"));
    int to = Integer.parseInt(args.getOrDefault("to", Integer.toString(tokens.size())));
    int rate = Integer.parseInt(args.getOrDefault("rate", "500"));
    int threads = Integer.parseInt(args.getOrDefault("threads", "2"));
    long reportMillis = Long.parseLong(args.getOrDefault("report-ms", "1000"));
    List<String> sources =
        Arrays.asList(args.getOrDefault("sources", "127.0.0.2,127.0.0.3,127.0.0.4").split(","));
    if (to > tokens.size() || from < 0 || from > to) {
      throw new IllegalArgumentException(
          "devices " + from + ".." + to + " but the token file has " + tokens.size());
    }

    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(threads)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
    int count = to - from;
    boolean tls = url.getScheme().equals("wss");
    List<WebSocketClient> clients = new ArrayList<>();
    for (String source : sources) {
      WebSocketClientOptions options =
          new WebSocketClientOptions()
              .setLocalAddress(source)
              // the default (50 per endpoint) would queue a fleet behind 50 sockets
              .setMaxConnections(count + 1)
              .setConnectTimeout((int) SimulatedDevice.CONNECT_TIMEOUT.toMillis())
              .setSsl(tls);
      if (args.containsKey("ca")) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(args.get("ca")));
      }
      clients.add(vertx.createWebSocketClient(options));
    }
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      contexts.add(vertx.getOrCreateContext()); // a new event-loop context each call, round-robin
    }
    SimStats stats = new SimStats();
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    List<SimulatedDevice> devices = new ArrayList<>(count);
    for (int i = from; i < to; i++) {
      devices.add(
          new SimulatedDevice(
              i,
              tokens.get(i).trim(),
              contexts.get(i % threads),
              clients.get(i % clients.size()),
              url.getHost(),
              port,
              url.getRawPath(),
              stats));
    }
    System.out.printf(
        "simulator: %d devices (%d..%d) to %s at %d/s from %s on %d threads%n",
        count, from, to, url, rate, sources, threads);

    long started = System.nanoTime();
    int[] next = {0};
    vertx.setPeriodic(
        RAMP_TICK_MILLIS,
        id -> {
          // due by the clock, not by ticks: a late tick on a busy machine still keeps the rate
          long due =
              Math.min(devices.size(), (System.nanoTime() - started) / 1_000_000 * rate / 1000);
          while (next[0] < due) {
            devices.get(next[0]++).start();
          }
          if (next[0] >= devices.size()) {
            vertx.cancelTimer(id);
          }
        });
    vertx.setPeriodic(
        reportMillis,
        id -> System.out.println(stats.line((System.nanoTime() - started) / 1_000_000)));
    new CountDownLatch(1).await(); // until killed: the bench owns this process
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + argv[i]);
      }
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    return args;
  }

  private static String required(Map<String, String> args, String name) {
    String value = args.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }
}
