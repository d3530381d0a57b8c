package io.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The agent runs in every test with the JVM options it is shipped with: the package's launcher and
 * the README's command line name the same heap and collector as {@link AgentProcess}.
 */
class AgentJvmOptionsTest {
  private static final String OPTIONS =
      ("-Xmx" + AgentProcess.MAX_HEAP + " " + AgentProcess.JVM_OPTIONS).trim();

  @Test
  void thePackagedLauncherDefaultsToTheOptionsTheTestsRunTheAgentWith() throws Exception {
    String launcher = Files.readString(Path.of("deploy/debian/bin/tether-agent"));
    assertTrue(
        launcher.contains("${TETHER_JAVA_OPTS:-" + OPTIONS + "}"),
        "deploy/debian/bin/tether-agent's default options are " + OPTIONS + ":\n" + launcher);
  }

  @Test
  void theReadmesAgentCommandLineUsesThem() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(
        readme.contains("java " + OPTIONS + " -jar tether-agent.jar"),
        "README.md starts the agent with " + OPTIONS);
  }
}
