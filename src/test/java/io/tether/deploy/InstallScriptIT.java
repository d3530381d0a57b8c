package io.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The portal serves its own agent, and its install script sets up a device in one command: run here
 * as root the way the connect panel shows it ({@code curl … | sh -s -- --name NAME}); the installed
 * unit's command then enrolls the device. Systemd does not run here, so the test starts the unit's
 * command itself (as {@link DebianPackageIT} does); the tether-agent package is purged before and
 * after.
 */
@ResourceLock("system-packages")
class InstallScriptIT {
  private static final Path AGENT_UNIT = Path.of("/lib/systemd/system/tether-agent.service");
  private static final Path STATE = Path.of("/var/lib/tether-agent");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("install-script");

  private static boolean agentUserBefore;
  private static boolean etcTetherBefore;
  private static UnitProcess unit;
  private static EchoServer echo;

  @BeforeAll
  static void purgeBefore() {
    assumeTrue("root".equals(System.getProperty("user.name")), "installs packages: needs root");
    agentUserBefore = Command.run("getent", "passwd", "tether-agent").exitCode() == 0;
    etcTetherBefore = Files.exists(Path.of("/etc/tether"));
    Command.run("dpkg", "--purge", "tether-agent");
  }

  @AfterAll
  static void purgeAfter() {
    if (unit != null) {
      unit.close();
    }
    if (echo != null) {
      echo.close();
    }
    Command.run("dpkg", "--purge", "tether-agent");
    if (!agentUserBefore) {
      Command.run("userdel", "tether-agent");
      Command.run("groupdel", "tether-agent");
    }
    if (!etcTetherBefore) {
      Command.run("rm", "-rf", "/etc/tether");
    }
  }

  private static HttpResponse<byte[]> download(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(portal.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The installer as a user runs it: piped from the portal into a root shell. */
  private static Command install(String... args) {
    return Command.run(
        "sh",
        "-c",
        "curl -fsSL '"
            + portal.baseUrl()
            + "/downloads/install-agent.sh' | sh -s -- "
            + String.join(" ", args));
  }

  @Test
  void thePortalServesTheAgentOfItsOwnBuildWithChecksums() throws Exception {
    HttpResponse<byte[]> jar = download("/downloads/tether-agent.jar");
    assertEquals(200, jar.statusCode());
    assertArrayEquals(Files.readAllBytes(Build.artifact("tether-agent.jar")), jar.body());
    assertEquals(sha256(jar.body()), jar.headers().firstValue("X-Checksum-Sha256").orElse(""));

    HttpResponse<byte[]> deb = download("/downloads/tether-agent.deb");
    assertEquals(200, deb.statusCode());
    String file =
        deb.headers()
            .firstValue("Content-Disposition")
            .orElse("")
            .replaceAll(".*filename=\"|\"", "");
    assertTrue(file.matches("tether-agent_.+_all\\.deb"), file);
    assertArrayEquals(Files.readAllBytes(Build.artifact(file)), deb.body());

    String script = new String(download("/downloads/install-agent.sh").body());
    assertTrue(script.contains("DEB_SHA256='" + sha256(deb.body()) + "'"), "the checksum");
    assertTrue(script.contains("TUNNEL='ws://127.0.0.1:" + portal.httpPort() + "/tunnel'"));

    // the jar's signature verifies with the key the installer writes to /etc/tether/upgrade.pub
    String pem = new String(download("/downloads/agent-signing.pub").body());
    assertTrue(script.contains(pem.strip()), "the install script carries the signing key");
    HttpResponse<byte[]> sig = download("/downloads/tether-agent.jar.sig");
    assertEquals(200, sig.statusCode());
    String version = AgentProcess.jarVersion();
    assertEquals(version, sig.headers().firstValue("X-Agent-Version").orElse(""));
    java.security.Signature verify = java.security.Signature.getInstance("Ed25519");
    verify.initVerify(
        java.security.KeyFactory.getInstance("Ed25519")
            .generatePublic(
                new java.security.spec.X509EncodedKeySpec(
                    java.util.Base64.getMimeDecoder()
                        .decode(pem.replaceAll("-----[A-Z ]+-----", "")))));
    verify.update(
        io.tether.protocol.AgentUpgrade.statement(
            version, jar.body().length, MessageDigest.getInstance("SHA-256").digest(jar.body())));
    assertTrue(
        verify.verify(java.util.Base64.getDecoder().decode(new String(sig.body()).strip())),
        "the jar's signature verifies with /downloads/agent-signing.pub");

    JsonNode index = portal.admin().get("/api/downloads");
    assertEquals(
        "curl -fsSL "
            + portal.baseUrl()
            + "/downloads/install-agent.sh | sudo sh -s -- --name NAME",
        index.get("installCommand").asText());
    assertEquals(2, index.get("files").size());
    assertEquals(AgentProcess.jarVersion(), index.get("agentJarVersion").asText());
  }

  @Test
  void theOneLineInstallSetsUpAnAgentThatEnrollsOrConnectsWithADeviceToken() throws Exception {
    echo = EchoServer.start();
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("site")))
            .get("name")
            .asText();
    String token =
        portal
            .admin()
            .post("/api/enrollment-tokens", Map.of("group", group, "uses", 1))
            .get("token")
            .asText();
    Path tokenFile = Build.workDir("install-script").resolve("enroll.token");
    Files.writeString(tokenFile, token + "\n");
    String name = PortalApi.unique("pi");

    Command refused = install("--name", "'bad name'", "--token-file", tokenFile.toString());
    assertEquals(1, refused.exitCode(), refused.output());
    assertTrue(refused.output().contains("use letters, digits and _ . -"), refused.output());

    Command installed =
        install(
            "--name",
            name,
            "--token-file",
            tokenFile.toString(),
            "--target",
            "echo=tcp:127.0.0.1:" + echo.port());
    assertEquals(0, installed.exitCode(), installed.output());
    assertTrue(installed.output().contains("systemd is not running here"), installed.output());
    assertFalse(installed.output().contains(token), "the installer printed the token");

    assertEquals(
        "install ok installed",
        Command.ok("dpkg-query", "-W", "-f=${Status}", "tether-agent").strip());
    assertEquals(
        "root tether-agent 640",
        Command.ok("stat", "-c", "%U %G %a", "/etc/tether/enroll.token").strip());
    Map<String, String> env = InstalledUnit.environmentFile(Path.of("/etc/tether/agent.env"));
    assertEquals("ws://127.0.0.1:" + portal.httpPort() + "/tunnel", env.get("TETHER_PORTAL"));
    assertEquals(
        "--enroll-token-file /etc/tether/enroll.token --name "
            + name
            + " --upgrade-key /etc/tether/upgrade.pub"
            + " --target echo=tcp:127.0.0.1:"
            + echo.port(),
        env.get("TETHER_AGENT_ARGS"));

    assertEquals(
        new String(download("/downloads/agent-signing.pub").body()).strip(),
        Files.readString(Path.of("/etc/tether/upgrade.pub")).strip());
    assertEquals(
        "root root 644", Command.ok("stat", "-c", "%U %G %a", "/etc/tether/upgrade.pub").strip());

    // what systemctl start would run: the unit's command as tether-agent
    unit = UnitProcess.start(AGENT_UNIT, Build.workDir("install-script").resolve("agent.log"));
    Await.until(
        "the installed agent enrolled and online, pending",
        WAIT,
        () -> {
          if (!unit.isAlive()) {
            throw new AssertionError("the agent exited:\n" + unit.output());
          }
          for (JsonNode d :
              portal.admin().get("/api/devices?state=pending&group=" + group).get("items")) {
            if (d.get("name").asText().equals(name) && d.get("online").asBoolean()) {
              return true;
            }
          }
          return false;
        });
    assertEquals(
        "tether-agent tether-agent 600",
        Command.ok("stat", "-c", "%U %G %a", STATE.resolve("device-token").toString()).strip());
    unit.close();

    // enrolled already: a second enrollment is refused rather than silently ignored
    Command again = install("--name", name, "--token-file", tokenFile.toString());
    assertEquals(1, again.exitCode(), again.output());
    assertTrue(again.output().contains("has enrolled already"), again.output());
    Files.delete(STATE.resolve("device-token"));

    // a device an admin registered: its device token, no --name
    JsonNode device = portal.admin().post("/api/devices", Map.of("name", PortalApi.unique("pi")));
    Files.writeString(tokenFile, device.get("token").asText() + "\n");
    Command registered =
        install(
            "--token-file", tokenFile.toString(), "--target", "echo=tcp:127.0.0.1:" + echo.port());
    assertEquals(0, registered.exitCode(), registered.output());
    assertEquals(
        "root tether-agent 640",
        Command.ok("stat", "-c", "%U %G %a", "/etc/tether/agent.token").strip());
    assertEquals(
        "--upgrade-key /etc/tether/upgrade.pub --target echo=tcp:127.0.0.1:" + echo.port(),
        InstalledUnit.environmentFile(Path.of("/etc/tether/agent.env")).get("TETHER_AGENT_ARGS"));
    unit = UnitProcess.start(AGENT_UNIT, Build.workDir("install-script").resolve("agent-2.log"));
    long id = device.get("id").asLong();
    Await.until(
        "the registered device online through the installed agent",
        WAIT,
        () -> portal.admin().get("/api/devices/" + id).get("online").asBoolean());
  }
}
