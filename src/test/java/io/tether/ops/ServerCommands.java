package io.tether.ops;

import io.tether.testing.Build;
import io.tether.testing.JavaProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The packaged portal jar run with a server command, as an operator would. */
final class ServerCommands {
  /** A command's JVM on 2 busy cores, plus starting and stopping an embedded PostgreSQL. */
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  private ServerCommands() {}

  static JavaProcess.Result run(Map<String, String> env, String... args) {
    return JavaProcess.run(
        Build.artifact("quarkus-app/quarkus-run.jar"), "256m", List.of(args), env, TIMEOUT);
  }
}
