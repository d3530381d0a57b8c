package io.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliArgsTest {
  @Test
  void anUnknownOptionIsAUsageErrorNamingIt() {
    CliArgs.UsageException e =
        assertThrows(
            CliArgs.UsageException.class,
            () -> CliArgs.parse(List.of("login", "--password", "x"), Set.of("--user"), Set.of()));
    assertTrue(e.getMessage().contains("--password"), e.getMessage());
  }

  @Test
  void aPasswordIsNeverTakenFromTheCommandLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CliMain.run(
            List.of("login", "--portal", "http://127.0.0.1:1", "--password", "secret"),
            Map.of(),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(Commands.USAGE, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --password"));
  }

  @Test
  void ttlIsDaysHoursOrMinutesUpToAYear() throws Exception {
    assertEquals(Duration.ofDays(30), CliArgs.duration(null, Duration.ofDays(30)));
    assertEquals(Duration.ofHours(12), CliArgs.duration("12h", Duration.ZERO));
    assertThrows(CliArgs.UsageException.class, () -> CliArgs.duration("366d", Duration.ZERO));
    assertThrows(CliArgs.UsageException.class, () -> CliArgs.duration("1w", Duration.ZERO));
  }

  @Test
  void storedCredentialsAreReadableByTheUserOnly(@TempDir Path dir) throws Exception {
    Path file = Credentials.file(Map.of("XDG_CONFIG_HOME", dir.toString()));
    new Credentials(java.net.URI.create("https://portal.example"), "tok_x", 42, null).save(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    Credentials back = Credentials.load(file).orElseThrow();
    assertEquals("tok_x", back.token());
    assertEquals(42, back.tokenId());
  }

  @Test
  void withoutCredentialsAListingSaysToSignInAndExitsThree(@TempDir Path dir) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CliMain.run(
            List.of("devices"),
            Map.of("XDG_CONFIG_HOME", dir.toString()),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(Commands.NOT_SIGNED_IN, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("run tether login"));
  }
}
