package io.tether.agent;

import java.io.PrintStream;
import java.util.List;

/** Entry point of tether-agent.jar: keeps a device's tunnel to the portal. */
public final class AgentMain {
  static final String USAGE =
      """
      Usage: java -jar tether-agent.jar --portal wss://HOST/tunnel --token-file FILE \\
                 --target NAME=serial:/dev/ttyUSB0?baud=115200 --target NAME=tcp:HOST:PORT

      Keeps one outbound tunnel from this device to a Tether portal.

        --portal URL        the portal's tunnel endpoint (env TETHER_PORTAL)
        --token TOKEN       the device token (env TETHER_TOKEN); prefer --token-file
        --token-file FILE   read the device token from FILE
        --target SPEC       a target this agent offers (repeatable)
        --help              show this help
      """;

  private AgentMain() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
      out.print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    err.println("tether-agent: the tunnel is not implemented yet (see issue: device tunnels)");
    return 1;
  }
}
