package io.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  /** Runs the completion function in bash for {@code words} (the last being completed). */
  private String complete(String... words) throws Exception {
    Path script = dir.resolve("run.sh");
    StringBuilder w = new StringBuilder();
    for (String word : words) {
      w.append('\'').append(word.replace("'", "'\\''")).append("' ");
    }
    Files.writeString(
        script,
        "source '"
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
