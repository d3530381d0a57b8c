package io.tether.cli;

import java.io.PrintStream;
import java.util.List;

/** Entry point of tether-cli.jar: forwards local TCP ports to device targets via the portal. */
public final class CliMain {
  static final String USAGE =
      """
      Usage: java -jar tether-cli.jar forward DEVICE TARGET --listen 127.0.0.1:4001 \\
                 --portal https://HOST --token API_TOKEN

      Forwards each TCP connection accepted on --listen to a device target through the portal.

        --listen ADDR:PORT  local address to accept connections on
        --portal URL        the portal's URL (env TETHER_PORTAL)
        --token TOKEN       an API token (env TETHER_TOKEN)
        --help              show this help
      """;

  private CliMain() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
      out.print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    err.println("tether-cli: forwarding is not implemented yet (see issue: device tunnels)");
    return 1;
  }
}
