package io.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self-enrollment on the agent's command line: the rules of its flags and of the kept token. */
class EnrollOptionsTest {
  @TempDir Path state;

  private List<String> args(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--portal",
                "wss://portal.example/tunnel",
                "--target",
                "console=serial:/dev/ttyUSB0",
                "--state-dir",
                state.toString()));
    a.addAll(List.of(extra));
    return a;
  }

  @Test
  void anEnrollmentTokenFileStandsInForTheDeviceToken() throws Exception {
    AgentOptions o =
        AgentOptions.parse(args("--enroll-token-file", "-", "--name", "gw-1"), Map.of());
    assertNull(o.token());
    assertEquals(new AgentOptions.EnrollRequest("-", "gw-1"), o.enroll());
  }

  @Test
  void enrollingNeedsAName() {
    var e =
        assertThrows(
            AgentOptions.UsageException.class,
            () -> AgentOptions.parse(args("--enroll-token-file", "f"), Map.of()));
    assertTrue(e.getMessage().contains("--name"), e.getMessage());
  }

  @Test
  void aNameWithoutEnrollingIsAMistake() {
    assertThrows(
        AgentOptions.UsageException.class,
        () -> AgentOptions.parse(args("--token", "tdv_x", "--name", "gw-1"), Map.of()));
  }

  @Test
  void withoutAnyTokenTheUsageNamesEnrollmentToo() {
    var e =
        assertThrows(AgentOptions.UsageException.class, () -> AgentOptions.parse(args(), Map.of()));
    assertTrue(e.getMessage().contains("--enroll-token-file"), e.getMessage());
  }

  @Test
  void aTokenKeptInTheStateDirIsEnoughToStart() throws Exception {
    EnrolledToken.store(state, "tdv_kept");
    AgentOptions o = AgentOptions.parse(args(), Map.of());
    assertEquals("tdv_kept", enroller().deviceToken(o));
  }

  @Test
  void theKeptTokenWinsOverTheEnrollmentTokenWhichIsNeverReadAgain() throws Exception {
    EnrolledToken.store(state, "tdv_kept");
    AgentOptions o =
        AgentOptions.parse(
            args("--enroll-token-file", state.resolve("absent").toString(), "--name", "gw"),
            Map.of());
    assertEquals("tdv_kept", enroller().deviceToken(o));
  }

  @Test
  void theUnitsAbsentTokenFileIsNoErrorForAnEnrollingAgent() throws Exception {
    String absent = state.resolve("agent.token").toString();
    AgentOptions o =
        AgentOptions.parse(
            args("--token-file", absent, "--enroll-token-file", "-", "--name", "gw"), Map.of());
    assertNull(o.token());
    assertThrows(
        AgentOptions.UsageException.class,
        () -> AgentOptions.parse(args("--token-file", absent), Map.of()),
        "without enrolling, a missing token file is still an error");
  }

  @Test
  void theKeptTokenIsReadableByTheAgentsUserOnly() throws IOException {
    Path file = EnrolledToken.store(state, "tdv_secret");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("tdv_secret\n", Files.readString(file));
  }

  @Test
  void anEmptyEnrollmentTokenIsRefusedInOneLine() throws Exception {
    AgentOptions o = AgentOptions.parse(args("--enroll-token-file", "-", "--name", "gw"), Map.of());
    var e = assertThrows(Enroller.Refused.class, () -> enroller().deviceToken(o));
    assertEquals("the enrollment token in standard input is empty", e.getMessage());
  }

  @Test
  void theEnrollmentEndpointSitsBesideTheTunnel() {
    assertEquals(
        URI.create("https://portal.example/api/enroll"),
        Enroller.enrollUri(URI.create("wss://portal.example/tunnel")));
    assertEquals(
        URI.create("http://127.0.0.1:8080/tether/api/enroll"),
        Enroller.enrollUri(URI.create("ws://127.0.0.1:8080/tether/tunnel")));
  }

  @Test
  void theHelpExplainsEnrolling() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertEquals(0, AgentMain.run(List.of("--help"), Map.of(), System.in, print, print));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--enroll-token-file"));
  }

  private static Enroller enroller() {
    return new Enroller(
        java.net.http.HttpClient.newHttpClient(),
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }
}
