package io.tether.ops;

import io.quarkus.runtime.annotations.QuarkusMain;
import io.tether.boot.TetherMain;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The jar's entry point: {@code java -jar quarkus-run.jar} serves the portal; a first argument that
 * names a {@link ServerCommand} runs that command and exits with its status instead. It lives here
 * rather than in {@code boot} so that {@code boot} never depends on the commands (which use it).
 */
@QuarkusMain
public final class PortalMain {
  /** Exit status for a command line that names no command or has the wrong arguments. */
  static final int USAGE = 64;

  private PortalMain() {}

  public static void main(String... args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      TetherMain.serve(args);
      return;
    }
    System.exit(run(Arrays.asList(args), System.getenv(), Console.system()));
  }

  /** Runs the command {@code args} names; answers its exit status. */
  static int run(List<String> args, Map<String, String> env, Console console) {
    ServerCommand command = ServerCommand.named(args.get(0)).orElse(null);
    if (command == null || args.contains("--help")) {
      console.err().println(ServerCommand.usage());
      return command == null ? USAGE : 0;
    }
    try {
      return command.run(args.subList(1, args.size()), env, console);
    } catch (CommandException e) {
      console.err().println(args.get(0) + ": " + e.getMessage());
      return e.status();
    }
  }
}
