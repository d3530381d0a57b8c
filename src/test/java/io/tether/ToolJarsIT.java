package io.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.Build;
import io.tether.testing.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent and CLI jars run on their own with java -jar and carry no Quarkus or portal code. */
class ToolJarsIT {
  @ParameterizedTest
  @ValueSource(strings = {"tether-agent.jar", "tether-cli.jar"})
  void helpRunsAndExitsZero(String jar) {
    JavaProcess.Result result =
        JavaProcess.run(
            Build.artifact(jar), "64m", List.of("--help"), Map.of(), Duration.ofSeconds(30));
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().startsWith("Usage: java -jar " + jar), result.output());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tether-agent.jar", "tether-cli.jar"})
  void containsNoFrameworkOrPortalClasses(String jar) throws Exception {
    Path path = Build.artifact(jar);
    try (JarFile file = new JarFile(path.toFile())) {
      List<String> offending =
          file.stream()
              .map(e -> e.getName())
              .filter(n -> n.endsWith(".class"))
              .filter(
                  n ->
                      n.startsWith("io/quarkus/")
                          || n.startsWith("jakarta/")
                          || n.startsWith("io/vertx/")
                          || n.startsWith("org/hibernate/")
                          || (n.startsWith("io/tether/")
                              && !n.startsWith("io/tether/protocol/")
                              && !n.startsWith("io/tether/wsclient/")
                              && !n.startsWith(
                                  jar.contains("agent") ? "io/tether/agent/" : "io/tether/cli/")))
              .toList();
      assertEquals(List.of(), offending);
    }
  }
}
