package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckConfigTest {
  @Test
  void defaultsHaveNoProblems() {
    assertEquals(List.of(), CheckConfig.problems(Map.of("TETHER_DATA_DIR", "target/check-config")));
  }

  @Test
  void everyBadSettingIsReportedNotJustTheFirst() {
    List<String> problems =
        CheckConfig.problems(
            Map.of(
                "TETHER_HTTP_PORT", "0",
                "TETHER_LOG_LEVEL", "LOUD",
                "TETHER_PUBLIC_URL", "portal.example.com"));
    assertEquals(3, problems.size(), problems.toString());
  }

  @Test
  void anUnknownTetherVariableIsFlaggedAsALikelyTypo() {
    List<String> problems =
        CheckConfig.problems(
            Map.of("TETHER_DATA_DIR", "target/check-config", "TETHER_HEARTBAET", "5s"));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("TETHER_HEARTBAET: "), problems.get(0));
  }

  @Test
  void theSamePortForHttpAndManagementIsAProblem() {
    List<String> problems =
        CheckConfig.problems(
            Map.of(
                "TETHER_DATA_DIR", "target/check-config",
                "TETHER_HTTP_PORT", "9000",
                "TETHER_MANAGEMENT_PORT", "9000"));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("TETHER_MANAGEMENT_PORT: "), problems.get(0));
  }

  @Test
  void aTlsCertificateWithoutItsKeyIsAProblem() {
    List<String> problems =
        CheckConfig.problems(
            Map.of("TETHER_DATA_DIR", "target/check-config", "TETHER_TLS_CERT", "pom.xml"));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("TETHER_TLS_KEY: "), problems.get(0));
  }

  @Test
  void anUnknownCommandPrintsUsage() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    Console console =
        new Console(
            java.io.InputStream.nullInputStream(),
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
            new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(PortalMain.USAGE, PortalMain.run(List.of("bakcup"), Map.of(), console));
    assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("backup FILE"));
  }
}
