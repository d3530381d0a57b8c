package io.tether.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.protocol.ProtocolLimits;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.ByteSource;
import io.tether.testing.CliProcess;
import io.tether.testing.NodeMetrics;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalProcess;
import io.tether.testing.Portals;
import io.tether.testing.StalledPath;
import io.tether.testing.Started;
import java.io.InputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Random bytes from a device-side TCP target through tether-agent → portal → tether-cli forward
 * into a consumer that reads in small pieces, pauses between bursts and once stops reading until
 * the source stalls: what arrives is byte-exact (SHA-256), backpressure reaches the source, and the
 * portal holds at most a window for the channel. 64 MiB in CI; 1 GiB with {@code tether.bench=true}
 * ({@code io.tether.bench.SlowConsumerBench} under {@code -Pbench}).
 */
@Isolated("compares transfer rates within one run: nothing else may take the cores meanwhile")
public class SlowConsumerIT {
  /** The CI size. */
  protected static final long CI_BYTES = 64L << 20;

  /** The benchmark size. */
  protected static final long BENCH_BYTES = 1L << 30;

  /** One read of the slow consumer: a terminal-sized bite, not a bulk read. */
  private static final int READ = 8 * 1024;

  /** Bursts per transfer, each followed by a pause: the credit loop stops and starts each time. */
  private static final int BURSTS = 32;

  /** The pause after a burst: long enough for every buffer on the path to fill. */
  private static final long PAUSE_MILLIS = 50;

  /** The consumer's fixed receive buffer (no autotuning), as in TunnelBytePathIT. */
  private static final int RECEIVE_BUFFER = 64 * 1024;

  /**
   * What the portal may hold for one channel beyond what its window grew by: device→user bytes are
   * bounded by the credit window (256 KiB, granted only once the CLI reports them delivered, plus
   * any growth, shown by {@code tether.node.window.growth.bytes}); twice the base leaves room for a
   * window's worth of frames in flight towards the CLI.
   */
  private static final long PORTAL_BOUND = 512 * 1024;

  /** The CLI's line at a channel's end when its receive window grew. */
  private static final Pattern CLI_GREW = Pattern.compile("receive window grew to ([0-9]+) KiB");

  /** How long the CLI may take to report its window after the stream ended. */
  private static final Duration CLI_REPORT = Duration.ofSeconds(3);

  /** Polls of the portal's buffered-bytes gauge during the transfer. */
  private static final long SAMPLE_MILLIS = 100;

  private final Started started = new Started();

  /** How many bytes this run moves: 64 MiB, or 1 GiB when {@code tether.bench} is true. */
  protected long bytes() {
    return Boolean.getBoolean("tether.bench") ? BENCH_BYTES : CI_BYTES;
  }

  @AfterEach
  void closeStarted() {
    started.close();
  }

  @Test
  public void randomBytesReachASlowConsumerByteExactWhileBackpressureBoundsEveryBuffer()
      throws Exception {
    long bytes = bytes();
    SeededBytes content = new SeededBytes(bytes, 64);
    ByteSource source = started.add(ByteSource.start(content, ByteSource.SMALL_SEND_BUFFER));
    PortalProcess portal = started.add(Portals.start("slow-consumer", Map.of()));
    PortalApi admin = PortalApi.signIn(portal.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
    JsonNode device = admin.post("/api/devices", Map.of("name", PortalApi.unique("dev")));
    AgentProcess agent =
        started.add(
            AgentProcess.create(
                device.get("name").asText(),
                "ws://127.0.0.1:" + portal.httpPort() + "/tunnel",
                device.get("token").asText(),
                List.of("source=tcp:127.0.0.1:" + source.port()),
                List.of()));
    agent.start().awaitOnline(Duration.ofSeconds(30));
    String token =
        admin.post("/api/tokens", Map.of("name", PortalApi.unique("fault"))).get("token").asText();
    CliProcess cli =
        started.add(
            CliProcess.forward(device.get("name").asText(), "source", portal.baseUrl(), token));

    // no channel has opened yet: the gauge is there from the portal's start, and zero
    assertEquals(0, NodeMetrics.bufferedBytes(portal), "bytes held before any channel opened");
    AtomicLong maxBuffered = new AtomicLong();
    AtomicLong maxBeyondGrowth = new AtomicLong();
    AtomicLong maxGrown = new AtomicLong();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    started.add(sampler::shutdownNow);
    AtomicLong samples = new AtomicLong();
    AtomicReference<Throwable> samplingFailed = new AtomicReference<>();
    sampler.scheduleWithFixedDelay(
        () -> {
          try {
            NodeMetrics.Held held = NodeMetrics.held(portal);
            maxBuffered.accumulateAndGet(held.buffered(), Math::max);
            maxBeyondGrowth.accumulateAndGet(held.beyondGrowth(), Math::max);
            maxGrown.accumulateAndGet(held.grown(), Math::max);
            samples.incrementAndGet();
          } catch (RuntimeException | AssertionError e) {
            samplingFailed.compareAndSet(null, e); // a throwing task would end the sampling
          }
        },
        0,
        SAMPLE_MILLIS,
        TimeUnit.MILLISECONDS);

    Socket consumer = started.add(cli.connect(RECEIVE_BUFFER));
    Duration timeout = Duration.ofSeconds(Math.max(90, bytes / (2 << 20)));
    long begun = System.nanoTime();
    Stall stall = null;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[READ];
    InputStream in = consumer.getInputStream();
    long burst = bytes / BURSTS;
    long done = 0;
    while (done < bytes) {
      int n = in.read(buffer, 0, (int) Math.min(READ, bytes - done));
      if (n < 0) {
        throw new AssertionError("the stream ended after " + done + " of " + bytes + " bytes");
      }
      sha.update(buffer, 0, n);
      long before = done;
      done += n;
      if (System.nanoTime() - begun > timeout.toNanos()) {
        throw new AssertionError(
            "only " + (done >> 20) + " of " + (bytes >> 20) + " MiB within " + timeout);
      }
      if (stall == null && done >= bytes / 2) {
        stall = stall(source, portal, done);
      } else if (done / burst != before / burst) {
        Thread.sleep(PAUSE_MILLIS); // the consumer's pace, not a wait for an event
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - begun);
    consumer.setSoTimeout(10_000);
    int after = in.read();
    // let a sample in flight finish: interrupting its HTTP request would count as a failed sample
    sampler.shutdown();
    assertTrue(sampler.awaitTermination(10, TimeUnit.SECONDS), "the gauge sampling stopped");
    String expected = content.sha256().get(10, TimeUnit.SECONDS);
    consumer.close();
    long cliGrowth = cliWindowGrowth(cli);

    System.out.printf(
        "[fault] slow consumer: %d MiB in %d ms (%.1f MiB/s, %d pauses of %d ms and one stall);"
            + " while stalled the source was %d KiB ahead (bound %d KiB + windows' growth: portal"
            + " %d KiB, CLI %d KiB) and the portal held %d KiB; the portal held at most %d KiB in"
            + " %d samples, its windows grew by at most %d KiB, and beyond that growth it held at"
            + " most %d KiB (bound %d KiB)%n",
        bytes >> 20,
        took.toMillis(),
        bytes / 1048576.0 / (took.toNanos() / 1e9),
        BURSTS - 1,
        PAUSE_MILLIS,
        stall.ahead() >> 10,
        StalledPath.bound() >> 10,
        stall.portal().grown() >> 10,
        cliGrowth >> 10,
        stall.portal().buffered() >> 10,
        maxBuffered.get() >> 10,
        samples.get(),
        maxGrown.get() >> 10,
        maxBeyondGrowth.get() >> 10,
        PORTAL_BOUND >> 10);
    if (samplingFailed.get() != null) {
      throw new AssertionError("sampling the portal's gauge failed", samplingFailed.get());
    }
    assertEquals(expected, HexFormat.of().formatHex(sha.digest()), "SHA-256 of what arrived");
    assertEquals(-1, after, "the stream ends after the last byte (the target closed)");
    assertTrue(
        stall.ahead() <= StalledPath.bound() + stall.portal().grown() + cliGrowth,
        "backpressure did not reach the source: it was "
            + (stall.ahead() >> 10)
            + " KiB ahead of a consumer that stopped reading");
    assertTrue(
        stall.portal().beyondGrowth() <= PORTAL_BOUND && maxBeyondGrowth.get() <= PORTAL_BOUND,
        "beyond its windows' growth the portal held "
            + (Math.max(stall.portal().beyondGrowth(), maxBeyondGrowth.get()) >> 10)
            + " KiB for one channel");
  }

  /** What the path held while the consumer stopped reading. */
  private record Stall(long ahead, NodeMetrics.Held portal) {}

  /**
   * How far the CLI's receive window grew beyond its base, from the line it writes as the channel
   * ends (before its "closed" line, if any); none within a few seconds: it did not grow.
   */
  private static long cliWindowGrowth(CliProcess cli) throws InterruptedException {
    long base = ProtocolLimits.DEFAULT_WINDOW;
    long largest = base;
    long until = System.nanoTime() + CLI_REPORT.toNanos();
    while (largest == base && System.nanoTime() < until) {
      String log = cli.log();
      Matcher m = CLI_GREW.matcher(log);
      while (m.find()) {
        largest = Math.max(largest, Long.parseLong(m.group(1)) << 10);
      }
      if (log.contains(" closed: ")) {
        break;
      }
      Thread.sleep(50);
    }
    return largest - base;
  }

  /** Stops reading until the source has written nothing for a second; what was held then. */
  private static Stall stall(ByteSource source, PortalProcess portal, long consumed) {
    long[] last = {source.written(), System.nanoTime()};
    Await.until(
        "the source to stall while the consumer does not read (backpressure)",
        Duration.ofSeconds(30),
        () -> {
          long now = source.written();
          if (now != last[0]) {
            last[0] = now;
            last[1] = System.nanoTime();
            return false;
          }
          return System.nanoTime() - last[1] > Duration.ofSeconds(1).toNanos();
        });
    return new Stall(source.written() - consumed, NodeMetrics.held(portal));
  }
}
