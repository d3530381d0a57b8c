package io.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tether.db.OrphanedServer;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalClient;
import io.tether.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The .deb files of target/ installed on this machine (CI runs as root, without containers), in a
 * package's life order: first install, maintainer scripts again, the installed portal started as
 * its unit's user with an installed agent connecting to it, an upgrade install, remove, purge. The
 * packages are purged before and after, and the system users this test created are deleted again.
 * Systemd does not run here: the units' commands run through runuser (sandboxing aside).
 */
@ResourceLock("system-packages")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageIT {
  private static final List<String> PACKAGES =
      List.of("tether-portal", "tether-agent", "tether-cli");
  private static final Path DATA = Path.of("/var/lib/tether");
  private static final Path PORTAL_ENV = Path.of("/etc/tether/portal.env");
  private static final Path PORTAL_UNIT = Path.of("/lib/systemd/system/tether-portal.service");
  private static final Path AGENT_UNIT = Path.of("/lib/systemd/system/tether-agent.service");

  /** The installed portal's cold start on a busy 2-core machine: unpack PostgreSQL, initdb. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private static final Pattern GENERATED_PASSWORD =
      Pattern.compile("with the generated password (\\S+)");

  private static final List<String> usersBefore = new ArrayList<>();
  private static boolean etcTetherBefore;
  private static final List<UnitProcess> running = new ArrayList<>();
  private static Path work;
  private static int httpPort;
  private static String adminPassword;
  private static EchoServer echo;

  @BeforeAll
  static void purgeBefore() {
    assumeTrue("root".equals(System.getProperty("user.name")), "installs packages: needs root");
    boolean installed = Command.run("dpkg", "-s", "tether-portal").exitCode() == 0;
    if (Files.exists(DATA) && !installed) {
      throw new AssertionError(
          DATA + " exists but tether-portal is not installed: not this test's to delete");
    }
    for (String user : List.of("tether", "tether-agent")) {
      if (Command.run("getent", "passwd", user).exitCode() == 0) {
        usersBefore.add(user);
      }
    }
    etcTetherBefore = Files.exists(Path.of("/etc/tether"));
    purge();
    work = Build.workDir("deb");
  }

  @AfterAll
  static void purgeAfter() {
    running.forEach(UnitProcess::close);
    OrphanedServer.stopIfRunning(DATA.resolve("postgres"), line -> {});
    if (echo != null) {
      echo.close();
    }
    purge();
    for (String user : List.of("tether-agent", "tether")) {
      if (!usersBefore.contains(user)) {
        Command.run("userdel", user);
        Command.run("groupdel", user);
      }
    }
    if (!etcTetherBefore) {
      Command.run("rmdir", "/etc/tether");
    }
  }

  private static void purge() {
    List<String> command = new ArrayList<>(List.of("dpkg", "--purge"));
    command.addAll(PACKAGES);
    Command.run(command);
  }

  @Test
  @Order(1)
  void aFirstInstallCreatesTheUsersTheDataDirAndProtectedConffiles() throws IOException {
    // the README's first command (its dependencies are installed already: nothing to download)
    Command.ok("apt-get", "install", "-y", deb("tether-portal_", "_amd64").toString());
    Command.ok(
        "dpkg",
        "-i",
        deb("tether-agent_", "_all").toString(),
        deb("tether-cli_", "_all").toString());

    assertTrue(
        Command.ok("getent", "passwd", "tether").contains(":/var/lib/tether:/usr/sbin/nologin"));
    assertTrue(
        Command.ok("id", "-nG", "tether-agent").contains("dialout"), "tether-agent in dialout");
    assertEquals(
        "tether tether 750", Command.ok("stat", "-c", "%U %G %a", DATA.toString()).strip());
    assertEquals(
        "root tether 640", Command.ok("stat", "-c", "%U %G %a", PORTAL_ENV.toString()).strip());
    assertEquals(
        "root tether-agent 640",
        Command.ok("stat", "-c", "%U %G %a", "/etc/tether/agent.env").strip());
    assertTrue(
        Command.ok("dpkg-query", "-W", "-f=${Conffiles}", "tether-portal")
            .contains(PORTAL_ENV.toString()),
        "portal.env is a conffile");
    Path deploy = Build.dir().getParent().resolve("deploy");
    assertEquals(
        Files.readString(deploy.resolve("debian/completion/tether")),
        Files.readString(Path.of("/usr/share/bash-completion/completions/tether")),
        "tether-cli installs its bash completion where bash-completion loads it on first use");
    assertEquals(
        Files.readString(deploy.resolve("systemd/tether-portal.service")),
        Files.readString(PORTAL_UNIT));
    assertEquals(
        Files.readString(deploy.resolve("systemd/tether-agent.service")),
        Files.readString(AGENT_UNIT));
    assertEquals(
        Files.readString(deploy.resolve("caddy/Caddyfile")),
        Files.readString(Path.of("/usr/share/tether-portal/caddy/Caddyfile")));
    assertTrue(Command.ok("tether", "--help").contains("forward"), "the CLI's launcher runs");
    assertTrue(
        Command.ok("tether-agent", "--help").contains("--portal"), "the agent's launcher runs");
  }

  @Test
  @Order(2)
  void theInstalledUnitsPassSystemdAnalyzeVerify() {
    Command verify =
        Command.run("systemd-analyze", "verify", PORTAL_UNIT.toString(), AGENT_UNIT.toString());
    assertEquals(0, verify.exitCode(), verify.output());
    assertEquals("", verify.output().strip(), "systemd-analyze has remarks");
  }

  @Test
  @Order(3)
  void maintainerScriptsRunAgainChangeNothing() {
    String version = Command.ok("dpkg-query", "-W", "-f=${Version}", "tether-portal");
    String state = systemState();
    for (String pkg : List.of("tether-portal", "tether-agent")) {
      for (int i = 0; i < 2; i++) {
        Command.ok("/var/lib/dpkg/info/" + pkg + ".postinst", "configure", version);
      }
    }
    // reinstalling the same version runs prerm upgrade, postrm upgrade and postinst again
    Command.ok("dpkg", "-i", deb("tether-portal_", "_amd64").toString());
    assertEquals(state, systemState());
  }

  /** Users, the data dir, the overrides and the unit's enablement state, as text. */
  private static String systemState() {
    return String.join(
        "\n",
        Command.ok("getent", "passwd", "tether", "tether-agent"),
        Command.ok("getent", "group", "tether", "tether-agent", "dialout"),
        Command.ok("stat", "-c", "%U %G %a %n", DATA.toString(), "/var/lib/tether-agent"),
        Command.ok("dpkg-statoverride", "--list"),
        Command.run("deb-systemd-helper", "debian-installed", "tether-portal.service").exitCode()
            + "");
  }

  @Test
  @Order(4)
  void theInstalledPortalStartsAsItsUserAndAnInstalledAgentConnects() throws Exception {
    // the README's second command, then what this machine needs: free ports, not 8080
    Command.ok("sed", "-i", "s/tether.example.com/127.0.0.1/", PORTAL_ENV.toString());
    httpPort = Ports.free();
    Files.writeString(
        PORTAL_ENV,
        Files.readString(PORTAL_ENV)
                .replace("TETHER_HTTP_PORT=8080", "TETHER_HTTP_PORT=" + httpPort)
            + "TETHER_MANAGEMENT_PORT="
            + Ports.free()
            + "\n");
    UnitProcess portal = startPortal("portal-1.log");
    Matcher password = GENERATED_PASSWORD.matcher(portal.output());
    assertTrue(password.find(), "the first start prints the generated admin password");
    adminPassword = password.group(1);
    assertEquals(
        "tether",
        Command.ok("stat", "-c", "%U", DATA.resolve("secret.key").toString()).strip(),
        "the portal ran as tether");

    PortalClient admin = PortalClient.signIn(base(), null, "admin", adminPassword);
    PortalClient.NewDevice device = admin.createDevice();
    echo = EchoServer.start();
    Files.writeString(
        Path.of("/etc/tether/agent.env"),
        "TETHER_PORTAL=ws://127.0.0.1:"
            + httpPort
            + "/tunnel\n"
            + "TETHER_AGENT_ARGS=--target echo=tcp:127.0.0.1:"
            + echo.port()
            + "\n");
    Path token = Path.of("/etc/tether/agent.token");
    Files.writeString(token, device.token() + "\n");
    Command.ok("chown", "root:tether-agent", token.toString());
    Command.ok("chmod", "0440", token.toString());
    UnitProcess agent = UnitProcess.start(AGENT_UNIT, work.resolve("agent.log"));
    running.add(agent);
    Await.until(
        "the packaged agent online at the packaged portal (log: " + work.resolve("agent.log") + ")",
        Duration.ofSeconds(60),
        () -> {
          if (!agent.isAlive()) {
            throw new AssertionError("the agent exited:\n" + agent.output());
          }
          return admin.online(device.id());
        });
    agent.close();
    portal.close();
  }

  @Test
  @Order(5)
  void anUpgradeInstallKeepsTheEditedEnvFileAndTheData() throws Exception {
    String before = Files.readString(PORTAL_ENV);
    Path next = repackWithVersionSuffix(deb("tether-portal_", "_amd64"), "+upgrade1");
    Command.ok("dpkg", "-i", next.toString());
    assertTrue(
        Command.ok("dpkg-query", "-W", "-f=${Version}", "tether-portal").endsWith("+upgrade1"));
    assertEquals(
        before, Files.readString(PORTAL_ENV), "the edited portal.env survives the upgrade");
    UnitProcess portal = startPortal("portal-2.log");
    PortalClient.signIn(base(), null, "admin", adminPassword); // the same database
    portal.close();
  }

  @Test
  @Order(6)
  void removeKeepsTheDataAndPurgeDeletesIt() {
    OrphanedServer.stopIfRunning(DATA.resolve("postgres"), line -> {});
    Command.ok("dpkg", "-r", "tether-portal", "tether-agent", "tether-cli");
    assertTrue(Files.exists(DATA.resolve("secret.key")), "dpkg -r keeps /var/lib/tether");
    assertTrue(Files.exists(PORTAL_ENV), "dpkg -r keeps the conffile");
    assertFalse(Files.exists(Path.of("/usr/bin/tether-portal")));
    Command.ok("dpkg", "--purge", "tether-portal", "tether-agent", "tether-cli");
    assertFalse(Files.exists(DATA), "--purge deletes /var/lib/tether");
    assertFalse(Files.exists(Path.of("/var/lib/tether-agent")));
    assertFalse(Files.exists(PORTAL_ENV), "--purge deletes the conffile");
    assertFalse(
        Files.exists(Path.of("/etc/tether/agent.token")), "--purge deletes the device token");
    assertFalse(Command.ok("dpkg-statoverride", "--list").contains("/etc/tether/"));
  }

  @Test
  @Order(7)
  void theArm64PortalPackageIsTheSamePackageWithArm64PostgresOnly() throws IOException {
    // built and inspected here, never installed: this machine is amd64 (deploy/README.md)
    Path amd64 = deb("tether-portal_", "_amd64");
    Path arm64 = deb("tether-portal_", "_arm64");
    String fields = "Package Version Architecture Depends Maintainer";
    assertEquals(
        control(amd64, fields).replace("Architecture: amd64", "Architecture: arm64"),
        control(arm64, fields));
    assertEquals(
        Command.ok("dpkg-deb", "-I", amd64.toString(), "conffiles"),
        Command.ok("dpkg-deb", "-I", arm64.toString(), "conffiles"));
    String x86 = "postgres-linux-x86_64.txz";
    String arm = "postgres-linux-arm_64.txz";
    assertEquals(
        files(amd64).stream().map(f -> f.replace(x86, arm)).toList(),
        files(arm64),
        "the same files, but for the PostgreSQL archive");
    assertEquals(
        PackagedPostgres.EM_AARCH64,
        PackagedPostgres.serverMachine(arm64, arm, work),
        "arm64's package carries aarch64 PostgreSQL");
    assertEquals(
        PackagedPostgres.EM_X86_64,
        PackagedPostgres.serverMachine(amd64, x86, work),
        "amd64's package carries x86-64 PostgreSQL");
  }

  private static String control(Path deb, String fields) {
    List<String> command = new ArrayList<>(List.of("dpkg-deb", "-f", deb.toString()));
    command.addAll(List.of(fields.split(" ")));
    Command c = Command.run(command);
    assertEquals(0, c.exitCode(), c.output());
    return c.output();
  }

  /** The paths a .deb installs, in order. */
  private static List<String> files(Path deb) {
    return Command.ok("dpkg-deb", "-c", deb.toString())
        .lines()
        .map(line -> line.substring(line.lastIndexOf(' ') + 1))
        .toList();
  }

  private static String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  private static UnitProcess startPortal(String logName) {
    UnitProcess portal = UnitProcess.start(PORTAL_UNIT, work.resolve(logName));
    running.add(portal);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Await.until(
        "the packaged portal to become ready (log: " + work.resolve(logName) + ")",
        START_TIMEOUT,
        () -> {
          if (!portal.isAlive()) {
            throw new AssertionError("the packaged portal exited:\n" + portal.output());
          }
          try {
            return http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
    return portal;
  }

  /** The newest target/NAME…SUFFIX.deb. */
  private static Path deb(String name, String suffix) {
    try (Stream<Path> files = Files.list(Build.dir())) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(name))
          .filter(p -> p.getFileName().toString().endsWith(suffix + ".deb"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElseThrow(() -> new AssertionError("no " + name + "*" + suffix + ".deb in target/"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The same package with a higher version: what the next release's upgrade installs. */
  private static Path repackWithVersionSuffix(Path deb, String suffix) throws IOException {
    Path tree = work.resolve("repack");
    Command.ok("dpkg-deb", "-R", deb.toString(), tree.toString());
    Path control = tree.resolve("DEBIAN/control");
    Files.writeString(
        control, Files.readString(control).replaceFirst("(?m)^(Version: .*)$", "$1" + suffix));
    Path next = work.resolve("next.deb");
    Command.ok("dpkg-deb", "-Znone", "-b", tree.toString(), next.toString());
    return next;
  }
}
