package io.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bash completion as bash runs it: the script the package installs is the one the CLI generates
 * from its own command table, and completing words in a real bash offers the commands, each
 * command's options, and file names after options that take a file.
 */
class BashCompletionTest {
  private static final Path INSTALLED = Path.of("deploy/debian/completion/tether");

  @TempDir Path dir;

  @Test
  void thePackagedScriptIsTheGeneratedOne() throws IOException {
    assertEquals(
        CliSyntax.bashCompletion(),
        Files.readString(INSTALLED),
        "deploy/debian/completion/tether is stale: regenerate it with"
            + " `java -cp target/classes io.tether.cli.CliMain completion bash >"
            + " deploy/debian/completion/tether`");
  }

  @Test
  void bashCompletesCommandsOptionsAndFiles() throws Exception {
    assertEquals("devices", complete("tether", "dev"));
    assertEquals("connect completion", complete("tether", "co"));
    assertEquals("--online", complete("tether", "devices", "--on"));
    assertEquals("--rfc2217", complete("tether", "forward", "plc", "console", "--rf"));
    assertEquals("", complete("tether", "logout", "--x"), "nothing the parser would refuse");
    Files.writeString(dir.resolve("token.txt"), "t");
    assertEquals(
        dir.resolve("token.txt").toString(),
        complete("tether", "login", "--token-file", dir.resolve("tok").toString()));
  }

  @Test
  void everyOfferedOptionIsOneTheParserAccepts() {
    for (var e : CliSyntax.COMMANDS.entrySet()) {
      for (String flag : e.getValue().flags()) {
        CliSyntax s = e.getValue();
        assertEquals(
            0,
            CliMain.run(
                List.of(e.getKey(), flag, "--help"),
                java.util.Map.of(),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream())),
            e.getKey() + " " + flag + " (of " + s.words() + ")");
      }
    }
  }

  /**
   * DEVICE and TARGET of connect and forward come from the signed-in portal through the real CLI
   * ({@code tether devices --names}, {@code --targets-of}), here a portal on loopback that answers
   * the device list; not signed in, nothing is offered and nothing printed.
   */
  @Test
  void bashCompletesDevicesAndTargetsFromThePortal() throws Exception {
    String devices =
        "{\"items\":[{\"name\":\"plc-7\",\"targets\":[{\"name\":\"console\",\"kind\":"
            + "\"serial\"},{\"name\":\"web\",\"kind\":\"tcp\"}]},{\"name\":\"plc-8\","
            + "\"targets\":[]},{\"name\":\"router\",\"targets\":[]}],\"next\":null}";
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer portal =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    portal.createContext(
        "/api/devices",
        exchange -> {
          seen.add(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = devices.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    portal.start();
    try {
      signedIn =
          "export TETHER_PORTAL=http://127.0.0.1:"
              + portal.getAddress().getPort()
              + " TETHER_TOKEN=tat_0123456789ab_completion\n";
      assertEquals("plc-7 plc-8", complete("tether", "connect", "plc"));
      assertEquals("router", complete("tether", "forward", "--take-over", "r"));
      assertEquals("console", complete("tether", "connect", "plc-7", "c"));
      assertEquals(
          "console web", complete("tether", "forward", "--listen", "127.0.0.1:4001", "plc-7", ""));
      assertEquals("", complete("tether", "connect", "plc-7", "console", ""), "two at most");
      assertEquals("", complete("tether", "forward", "--listen", ""), "a value is typed there");
      assertTrue(
          seen.stream().allMatch("Bearer tat_0123456789ab_completion"::equals),
          "the CLI asked with its credentials: " + seen);
    } finally {
      portal.stop(0);
    }
    signedIn = "export XDG_CONFIG_HOME='" + dir + "'\nunset TETHER_PORTAL TETHER_TOKEN\n";
    assertEquals("", complete("tether", "connect", "p"), "not signed in: nothing, and silently");
  }

  /** Lines run before the completion: where the CLI finds its portal (none by default). */
  private String signedIn = "export XDG_CONFIG_HOME=/nonexistent\n";

  /** Runs the completion function in bash for {@code words} (the last being completed). */
  private String complete(String... words) throws Exception {
    Path script = dir.resolve("run.sh");
    StringBuilder w = new StringBuilder();
    for (String word : words) {
      w.append('\'').append(word.replace("'", "'\\''")).append("' ");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        script,
        signedIn
            + "tether() { '"
            + java
            + "' -Xmx64m -cp '"
            + Path.of("target/classes").toAbsolutePath()
            + "' io.tether.cli.CliMain \"$@\"; }\n"
            + "source '"
            + INSTALLED.toAbsolutePath()
            + "'\nCOMP_WORDS=("
            + w
            + ")\nCOMP_CWORD="
            + (words.length - 1)
            + "\n_tether\necho \"${COMPREPLY[*]}\"\n");
    Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("bash failed: " + out);
    }
    return out;
  }
}
