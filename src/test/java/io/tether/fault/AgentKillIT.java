package io.tether.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.session.CloseReasons;
import io.tether.session.TerminalClient;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.EchoServer;
import io.tether.testing.NodeMetrics;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.Started;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of an agent while a CLI forward pushes bytes to one of its targets and a terminal
 * session is open on another: the portal closes both channels with the reason {@code
 * device-offline}, tells the CLI and the terminal so, ends the session with it, releases what it
 * buffered, and takes the device back from a new agent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentKillIT {
  /**
   * The killed agent's socket closes with the process, so the portal needs no heartbeat to notice:
   * this is slack for a busy 2-core machine, not a timeout being waited out.
   */
  private static final Duration NOTICED = Duration.ofSeconds(10);

  private static final Started started = new Started();
  @RegisterExtension static final PortalFixture portal = PortalFixture.start("agent-kill");
  private static long deviceId;
  private static String deviceName;
  private static AgentProcess agent;

  @BeforeAll
  static void startPortalAndAgent() {
    EchoServer bulk = started.add(EchoServer.start());
    EchoServer console = started.add(EchoServer.start());
    JsonNode device = portal.admin().post("/api/devices", Map.of("name", PortalApi.unique("dev")));
    deviceId = device.get("id").asLong();
    deviceName = device.get("name").asText();
    agent =
        started.add(
            AgentProcess.create(
                deviceName,
                portal.tunnelUrl(),
                device.get("token").asText(),
                List.of(
                    "bulk=tcp:127.0.0.1:" + bulk.port(), "console=tcp:127.0.0.1:" + console.port()),
                List.of()));
    agent.start().awaitOnline(Duration.ofSeconds(30));
    Await.until("the device online", Duration.ofSeconds(10), AgentKillIT::online);
  }

  @AfterAll
  static void closeAll() {
    started.close();
  }

  @Test
  @Order(1)
  void killingTheAgentMidTransferClosesEveryChannelWithTheReasonDeviceOffline() throws Exception {
    String token =
        portal
            .admin()
            .post("/api/tokens", Map.of("name", PortalApi.unique("fault")))
            .get("token")
            .asText();
    CliProcess cli = started.add(CliProcess.forward(deviceName, "bulk", portal.baseUrl(), token));
    Socket forwarded = started.add(cli.connect());
    AtomicLong echoed = new AtomicLong();
    CompletableFuture<String> forwardEnd = new CompletableFuture<>();
    Thread pump = new Thread(() -> pushAndRead(forwarded, echoed, forwardEnd), "bulk-traffic");
    pump.setDaemon(true);
    pump.start();

    TerminalClient terminal =
        started.add(TerminalClient.terminal(portal.baseUrl(), portal.admin(), deviceId, "console"));
    terminal.awaitLive();
    long session = terminal.awaitSession(s -> s.path("id").isNumber()).get("id").asLong();
    terminal.type("ping\r".getBytes(StandardCharsets.US_ASCII));
    terminal.awaitReceived("ping\r".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
    Await.until("4 MiB through the forward", Duration.ofSeconds(30), () -> echoed.get() > 4 << 20);

    long killed = System.nanoTime();
    agent.kill9();

    JsonNode closed = terminal.awaitControl("closed", NOTICED);
    long terminalMillis = Duration.ofNanos(System.nanoTime() - killed).toMillis();
    assertEquals(CloseReasons.DEVICE_OFFLINE, closed.path("code").asText(), closed.toString());
    // before it closed, the terminal was told the device went offline
    terminal.awaitControl(
        "status", s -> s.path("state").asText().equals("offline"), Duration.ofSeconds(1));

    Await.until(
        "the CLI to log why the portal closed its channel",
        NOTICED,
        () -> cli.log().contains("closed by the portal: device-offline"));
    String why =
        cli.log().lines().filter(l -> l.contains("closed by the portal")).findFirst().orElseThrow();
    String localEnd;
    try {
      localEnd = forwardEnd.get(NOTICED.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the CLI kept the forwarded connection open after its channel closed");
    }

    Await.until(
        "the session record to end",
        NOTICED,
        () ->
            portal.admin().get("/api/sessions/" + session).path("state").asText().equals("ended"));
    JsonNode record = portal.admin().get("/api/sessions/" + session);
    assertEquals(
        CloseReasons.DEVICE_OFFLINE, record.path("closeReason").asText(), record.toString());

    Await.until(
        "the portal to release every byte it held for the closed channels",
        NOTICED,
        () -> NodeMetrics.bufferedBytes(portal.process()) == 0);
    System.out.printf(
        "[fault] kill -9 of the agent after %d KiB through the forward: the terminal got 'closed'"
            + " after %d ms; the CLI logged \"%s\"; the forwarded connection %s%n",
        echoed.get() >> 10, terminalMillis, why.trim(), localEnd);
  }

  @Test
  @Order(2)
  void thePortalStaysHealthyAndANewAgentBringsTheDeviceBack() {
    assertTrue(portal.process().process().isAlive(), "the portal process runs");
    assertTrue(portal.process().ready(), "the portal is ready");
    Await.until("the device offline", NOTICED, () -> !online());

    agent.start().awaitOnline(Duration.ofSeconds(30));
    Await.until("the device online again", Duration.ofSeconds(10), AgentKillIT::online);
    try (TerminalClient again =
        TerminalClient.terminal(portal.baseUrl(), portal.admin(), deviceId, "console")) {
      again.awaitLive();
      again.type("back\r".getBytes(StandardCharsets.US_ASCII));
      again.awaitReceived("back\r".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
    }
  }

  private static boolean online() {
    return portal.admin().get("/api/devices/" + deviceId).get("online").asBoolean();
  }

  /**
   * Writes random bytes and reads their echo on two threads until the connection ends; completes
   * {@code end} with how it ended.
   */
  private static void pushAndRead(Socket socket, AtomicLong echoed, CompletableFuture<String> end) {
    Thread writer =
        new Thread(
            () -> {
              byte[] chunk = new byte[16 * 1024];
              SplittableRandom random = new SplittableRandom(8);
              try {
                OutputStream out = socket.getOutputStream();
                while (!end.isDone()) {
                  random.nextBytes(chunk);
                  out.write(chunk);
                }
              } catch (IOException e) {
                // the reader reports how the connection ended
              }
            },
            "bulk-writer");
    writer.setDaemon(true);
    writer.start();
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = socket.getInputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        echoed.addAndGet(n);
      }
      end.complete("was ended by the CLI (EOF)");
    } catch (IOException e) {
      end.complete("was ended by the CLI (" + e.getMessage() + ")");
    }
  }
}
