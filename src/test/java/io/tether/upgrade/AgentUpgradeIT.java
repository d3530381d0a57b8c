package io.tether.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.Hello;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.TargetKind;
import io.tether.testing.AgentJars;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.SupervisedAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agent upgrades with real processes: the packaged portal serving a jar from its downloads dir, and
 * agents run by the packaged launcher under a supervisor that restarts it like systemd's
 * Restart=always. The jars are built here: a copy of tether-agent.jar whose manifest says another
 * version (another build), the same with a byte changed after the portal signed it (tampered), and
 * a jar whose main class never dials (cannot connect).
 */
class AgentUpgradeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** The launcher's trial, shortened from 60 s so a rollback is seen within the test. */
  private static final int TRIAL_SECONDS = 5;

  /** A version above any build of this project: the upgrade's target. */
  private static final String NEWER = "999.0.0";

  private static final Path DOWNLOADS = Build.workDir("upgrade-downloads");

  /** Above the build's version, below {@link #NEWER}: the build's agents are outdated. */
  private static final String MIN_VERSION = "998.0.0";

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "agent-upgrade",
          Map.of(
              "TETHER_DOWNLOADS_DIR",
              DOWNLOADS.toString(),
              "TETHER_AGENT_MIN_VERSION",
              MIN_VERSION));

  private final List<AutoCloseable> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : started) {
      c.close();
    }
  }

  /** Puts {@code jar} where the portal serves it (replacing what was there). */
  private static void serve(Path jar) throws IOException {
    Files.copy(jar, DOWNLOADS.resolve("tether-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** A jar of {@code version} whose main class starts and never dials the portal. */
  private static Path sleepingJar(String version) throws IOException {
    Path dir = Build.workDir("jar-sleeping");
    Path manifest =
        Files.writeString(
            dir.resolve("MANIFEST.MF"),
            "Main-Class: io.tether.testing.SleepingMain\nImplementation-Version: "
                + version
                + "\n");
    Path jar = dir.resolve("tether-agent.jar");
    ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow();
    int code =
        tool.run(
            System.out,
            System.err,
            "--create",
            "--file",
            jar.toString(),
            "--manifest",
            manifest.toString(),
            "-C",
            Build.dir().resolve("test-classes").toString(),
            "io/tether/testing/SleepingMain.class");
    assertEquals(0, code, "jar --create");
    return jar;
  }

  /** The key the portal signs with, written where the install script puts it. */
  private static Path upgradeKey() throws Exception {
    return AgentJars.signingKey(portal.baseUrl());
  }

  /** A public file of the portal's, unauthenticated, as a device fetches it. */
  private static HttpResponse<String> download(String path) throws Exception {
    return AgentJars.download(portal.baseUrl(), path);
  }

  private SupervisedAgent agent(PortalClient.NewDevice device, List<String> extra) {
    EchoServer echo = EchoServer.start();
    started.add(echo);
    SupervisedAgent agent =
        SupervisedAgent.start(
            device.name(),
            portal.tunnelUrl(),
            device.token(),
            List.of("echo=tcp:127.0.0.1:" + echo.port()),
            extra,
            TRIAL_SECONDS);
    started.add(agent);
    awaitVersion(device, AgentProcess.jarVersion());
    Await.until(
        device.name() + " shown as able to upgrade itself",
        WAIT,
        () -> portal.client().device(device.id()).path("agentUpgradable").asBoolean());
    return agent;
  }

  private static void awaitVersion(PortalClient.NewDevice device, String version) {
    Await.until(
        device.name() + " online reporting " + version,
        WAIT,
        () -> {
          JsonNode d = portal.client().device(device.id());
          return d.get("online").asBoolean() && version.equals(d.path("agentVersion").asText());
        });
  }

  private static HttpResponse<String> askUpgrade(PortalClient.NewDevice device) {
    return portal
        .admin()
        .request("POST", "/api/devices/" + device.id() + "/agent-upgrade", Map.of());
  }

  /** The device's device.agent-upgrade audit entries after the "asked" one, oldest first. */
  private static List<JsonNode> outcomes(PortalClient.NewDevice device) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e :
        portal
            .admin()
            .get("/api/audit?action=device.agent-upgrade&device=" + device.id())
            .get("items")) {
      if (!e.path("detail").asText().startsWith("asked:")) {
        out.add(0, e);
      }
    }
    return out;
  }

  /** The device is flagged outdated, and listed by ?agent=outdated, or neither. */
  private static boolean outdated(PortalClient.NewDevice device) {
    boolean flagged = portal.client().device(device.id()).get("agentOutdated").asBoolean();
    boolean listed = false;
    for (JsonNode d : portal.admin().get("/api/devices?agent=outdated&limit=200").get("items")) {
      listed |= d.get("id").asLong() == device.id();
    }
    assertEquals(flagged, listed, "the flag and the filter agree");
    return flagged;
  }

  private static JsonNode awaitOutcome(PortalClient.NewDevice device) {
    Await.until("an upgrade outcome for " + device.name(), WAIT, () -> !outcomes(device).isEmpty());
    return outcomes(device).get(0);
  }

  @Test
  void anAgentUpgradedToANewerBuildReconnectsReportingItsVersion() throws Exception {
    serve(AgentJars.withVersion(NEWER));
    PortalClient.NewDevice device = portal.client().createDevice();
    SupervisedAgent agent = agent(device, List.of("--upgrade-key", upgradeKey().toString()));

    assertTrue(outdated(device), "the build's agent is below " + MIN_VERSION);
    HttpResponse<String> asked = askUpgrade(device);
    assertEquals(202, asked.statusCode(), asked.body());
    assertTrue(asked.body().contains("\"to\":\"" + NEWER + "\""), asked.body());

    awaitVersion(device, NEWER);
    JsonNode outcome = awaitOutcome(device);
    assertEquals("ok", outcome.get("outcome").asText(), outcome.toString());
    assertTrue(
        outcome.get("detail").asText().contains("reconnected reporting " + NEWER),
        outcome.toString());
    agent.awaitLog("upgrade to " + NEWER + " confirmed", 1, WAIT);
    assertFalse(outdated(device), NEWER + " is not below " + MIN_VERSION);
    assertFalse(Files.exists(agent.stateDir().resolve("agent/trial")), "the trial is confirmed");
    assertTrue(agent.exits().contains(75), "the agent exited to be restarted: " + agent.exits());

    // the trial ended confirmed: nothing rolls the new jar back later
    long deadline = System.nanoTime() + Duration.ofSeconds(TRIAL_SECONDS + 3).toNanos();
    Await.until("the trial period passes", WAIT, () -> System.nanoTime() > deadline);
    assertEquals(NEWER, portal.client().device(device.id()).path("agentVersion").asText());
    assertFalse(agent.log().contains("rolled back"), agent.log());

    HttpResponse<String> again = askUpgrade(device);
    assertEquals(409, again.statusCode(), again.body());
    assertTrue(again.body().contains("already runs " + NEWER), again.body());
  }

  @Test
  void aTamperedJarIsRefusedAndTheAgentStaysOnItsVersion() throws Exception {
    serve(AgentJars.withVersion(NEWER));
    Path served = DOWNLOADS.resolve("tether-agent.jar");
    // the portal signs the jar as it is now (and keeps the digest while the file looks the same)
    HttpResponse<String> sig = download("/downloads/tether-agent.jar.sig");
    assertEquals(200, sig.statusCode(), sig.body());
    // then the bytes change under it: same size, same time stamp, one byte off
    FileTime stamp = Files.getLastModifiedTime(served);
    byte[] bytes = Files.readAllBytes(served);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(served, bytes);
    Files.setLastModifiedTime(served, stamp);

    PortalClient.NewDevice device = portal.client().createDevice();
    SupervisedAgent agent = agent(device, List.of("--upgrade-key", upgradeKey().toString()));
    HttpResponse<String> asked = askUpgrade(device);
    assertEquals(202, asked.statusCode(), asked.body());

    JsonNode outcome = awaitOutcome(device);
    assertEquals("failed", outcome.get("outcome").asText(), outcome.toString());
    assertTrue(outcome.get("detail").asText().contains("SHA-256"), outcome.toString());
    agent.awaitLog("refused", 1, WAIT);
    JsonNode d = portal.client().device(device.id());
    assertEquals(AgentProcess.jarVersion(), d.path("agentVersion").asText(), d.toString());
    assertTrue(d.get("online").asBoolean(), d.toString());
    assertTrue(agent.exits().isEmpty(), "the agent never restarted: " + agent.exits());
    assertFalse(Files.exists(agent.stateDir().resolve("agent/current.jar")));
  }

  @Test
  void aJarThatCannotConnectIsRolledBackWithinTheTrial() throws Exception {
    serve(sleepingJar("999.0.1"));
    PortalClient.NewDevice device = portal.client().createDevice();
    SupervisedAgent agent = agent(device, List.of("--upgrade-key", upgradeKey().toString()));
    HttpResponse<String> asked = askUpgrade(device);
    assertEquals(202, asked.statusCode(), asked.body());

    agent.awaitLog("sleeping instead of connecting", 1, WAIT);
    agent.awaitLog("did not reach the portal within " + TRIAL_SECONDS + " s", 1, WAIT);
    JsonNode outcome = awaitOutcome(device);
    assertEquals("failed", outcome.get("outcome").asText(), outcome.toString());
    assertTrue(outcome.get("detail").asText().contains("rolled back"), outcome.toString());
    awaitVersion(device, AgentProcess.jarVersion());
    assertFalse(
        Files.exists(agent.stateDir().resolve("agent/current.jar")), "the packaged jar runs again");
    agent.awaitLog("the last upgrade was rolled back", 1, WAIT);
  }

  @Test
  void aGroupUpgradeTakesItsCapableOutdatedAgents() throws Exception {
    serve(AgentJars.withVersion(NEWER));
    String group = portal.client().createGroup();
    PortalClient.NewDevice a = portal.client().createDevice(group);
    PortalClient.NewDevice b = portal.client().createDevice(group);
    String key = upgradeKey().toString();
    agent(a, List.of("--upgrade-key", key));
    agent(b, List.of("--upgrade-key", key));

    HttpResponse<String> wave =
        portal.admin().request("POST", "/api/groups/" + group + "/agent-upgrade", Map.of());
    assertEquals(202, wave.statusCode(), wave.body());
    JsonNode started = new com.fasterxml.jackson.databind.ObjectMapper().readTree(wave.body());
    assertEquals(NEWER, started.get("to").asText());
    assertEquals(2, started.get("devices").size(), wave.body());
    awaitVersion(a, NEWER);
    awaitVersion(b, NEWER);
    assertEquals("ok", awaitOutcome(a).get("outcome").asText());
    assertEquals("ok", awaitOutcome(b).get("outcome").asText());
  }

  @Test
  void anAgentWithoutAnUpgradeKeyRefusesSayingWhy() throws Exception {
    serve(AgentJars.withVersion(NEWER));
    PortalClient.NewDevice device = portal.client().createDevice();
    SupervisedAgent agent = agent(device, List.of());
    assertEquals(202, askUpgrade(device).statusCode());
    JsonNode outcome = awaitOutcome(device);
    assertEquals("failed", outcome.get("outcome").asText(), outcome.toString());
    assertTrue(outcome.get("detail").asText().contains("no --upgrade-key"), outcome.toString());
    assertTrue(agent.exits().isEmpty(), agent.exits().toString());
  }

  @Test
  void anAgentThatDoesNotOfferTheCapabilityGets409() throws Exception {
    serve(AgentJars.withVersion(NEWER));
    PortalClient.NewDevice device = portal.client().createDevice();
    HttpResponse<String> offline = askUpgrade(device);
    assertEquals(409, offline.statusCode(), offline.body());
    assertTrue(offline.body().contains("is offline"), offline.body());
    assertEquals(
        400, portal.admin().request("GET", "/api/devices?agent=newest", null).statusCode());
    // a v1 agent: the same HELLO, no X-Tether-Agent-Capabilities header
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .subprotocols(ProtocolVersion.SUBPROTOCOL)
            .header("Authorization", "Bearer " + device.token())
            .buildAsync(URI.create(portal.tunnelUrl()), new WebSocket.Listener() {})
            .join();
    started.add(() -> ws.abort());
    Hello hello =
        new Hello(
            ProtocolVersion.CURRENT,
            "0.0.1",
            "v1-agent",
            List.of(new Hello.Target("echo", TargetKind.TCP, "")));
    ws.sendBinary(
            ByteBuffer.wrap(FrameCodec.encode(Frame.control(FrameType.HELLO, hello.encode()))),
            true)
        .join();
    awaitVersion(device, "0.0.1");
    HttpResponse<String> asked = askUpgrade(device);
    assertEquals(409, asked.statusCode(), asked.body());
    assertTrue(
        asked.body().contains("this agent cannot upgrade itself: reinstall it"), asked.body());
    assertFalse(portal.client().device(device.id()).get("agentUpgradable").asBoolean());
  }

  static {
    try {
      Files.createDirectories(DOWNLOADS);
      Files.copy(
          Build.artifact("tether-agent.jar"),
          DOWNLOADS.resolve("tether-agent.jar"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
