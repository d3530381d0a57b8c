package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.Build;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** version, check-config and reset-password, run from the packaged jar. */
class ServerCommandsIT {
  @RegisterExtension static final PortalFixture portal = PortalFixture.start("server-commands");

  @Test
  void versionPrintsTheBuildAndItsSchemaWithoutADatabase() throws IOException {
    Path dataDir = Build.workDir("version-cmd").resolve("data");
    JavaProcess.Result r =
        ServerCommands.run(Map.of("TETHER_DATA_DIR", dataDir.toString()), "version");
    assertEquals(0, r.exitCode(), r.output());
    String latest;
    try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
      latest =
          scripts
              .map(p -> BundledMigrations.version(p.getFileName().toString()))
              .max(BundledMigrations::compare)
              .orElseThrow();
    }
    assertTrue(r.output().contains("tether-portal "), r.output());
    assertTrue(r.output().contains("schema " + latest), r.output());
    assertFalse(Files.exists(dataDir.resolve("postgres")), "version starts no database");
  }

  @Test
  void checkConfigNamesEveryProblemOnALineOfItsOwn() throws IOException {
    Path env = Build.workDir("check-config").resolve("portal.env");
    Files.writeString(
        env,
        String.join(
            "\n",
            "# a bad environment file",
            "TETHER_HTTP_PORT=99999",
            "TETHER_HEARTBEAT=soon",
            "TETHER_TLS_CERT=/nonexistent/cert.pem",
            "TETHER_HTTP_PROT=8080",
            ""));
    JavaProcess.Result bad = ServerCommands.run(Map.of(), "check-config", env.toString());
    assertEquals(CheckConfig.PROBLEMS, bad.exitCode(), bad.output());
    List<String> lines = bad.output().strip().lines().toList();
    for (String variable :
        List.of("TETHER_HTTP_PORT", "TETHER_HEARTBEAT", "TETHER_TLS_CERT", "TETHER_HTTP_PROT")) {
      assertEquals(
          1,
          lines.stream().filter(l -> l.startsWith(variable + ": ")).count(),
          variable + " gets one line: " + lines);
    }

    Files.writeString(env, "TETHER_HTTP_PORT=8443\nTETHER_HEARTBEAT=15s\n");
    JavaProcess.Result good = ServerCommands.run(Map.of(), "check-config", env.toString());
    assertEquals(0, good.exitCode(), good.output());
  }

  @Test
  void resetPasswordOnTheServerReplacesThePasswordAndEndsSessionsAndTokens() {
    PortalClient admin = PortalClient.admin(portal.process());
    PortalClient.NewUser user = admin.createUser();
    PortalClient before =
        PortalClient.signIn(portal.baseUrl(), null, user.username(), user.password());
    String token = before.createApiToken();

    JavaProcess.Result r =
        ServerCommands.run(
            Map.of("TETHER_DATA_DIR", portal.process().dataDir().toString()),
            "reset-password",
            user.username());
    assertEquals(0, r.exitCode(), r.output());
    Matcher printed =
        Pattern.compile("new password for " + user.username() + ": (\\S+)").matcher(r.output());
    assertTrue(printed.find(), r.output());

    assertEquals(401, login(user.username(), user.password()), "the old password is refused");
    assertEquals(200, login(user.username(), printed.group(1)), "the new password works");
    assertEquals(401, status("/api/me", "Authorization", "Bearer " + token), "token revoked");
    before.expect(401, "GET", "/api/me", null);
    JsonNode audit =
        admin.expect(200, "GET", "/api/audit?action=user.password&actor=server-console", null);
    assertTrue(
        audit.get("items").findValuesAsText("subject").contains(user.username()),
        "audited as server-console: " + audit);

    // the portal's suite runs at bcrypt's floor; the command hashes at the cost of its own
    // environment, here the shipped 10 (TETHER_PASSWORD_HASH_COST), and refuses one out of range
    assertTrue(
        passwordHash(user.username()).startsWith("$2a$10$"),
        "hashed at the shipped cost: " + passwordHash(user.username()));
    JavaProcess.Result tooCheap =
        ServerCommands.run(
            Map.of(
                "TETHER_DATA_DIR",
                portal.process().dataDir().toString(),
                "TETHER_PASSWORD_HASH_COST",
                "3"),
            "reset-password",
            user.username());
    assertEquals(CheckConfig.PROBLEMS, tooCheap.exitCode(), tooCheap.output());
    assertTrue(tooCheap.output().contains("TETHER_PASSWORD_HASH_COST"), tooCheap.output());
    assertEquals(200, login(user.username(), printed.group(1)), "a refused reset changed nothing");

    JavaProcess.Result unknown =
        ServerCommands.run(
            Map.of("TETHER_DATA_DIR", portal.process().dataDir().toString()),
            "reset-password",
            "nobody-" + user.username());
    assertEquals(CommandException.REFUSED, unknown.exitCode(), unknown.output());
  }

  private static String passwordHash(String username) {
    try (java.sql.Connection c = portal.process().jdbc();
        java.sql.PreparedStatement q =
            c.prepareStatement("select password_hash from users where username = ?")) {
      q.setString(1, username);
      try (java.sql.ResultSet rs = q.executeQuery()) {
        assertTrue(rs.next(), username + " has no row");
        return rs.getString(1);
      }
    } catch (java.sql.SQLException | IOException e) {
      throw new AssertionError(e);
    }
  }

  private static int login(String username, String password) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/auth/login"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static int status(String path, String header, String value) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(portal.baseUrl() + path))
                  .header(header, value)
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
