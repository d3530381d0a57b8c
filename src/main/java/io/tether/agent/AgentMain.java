package io.tether.agent;

import io.tether.wsclient.WsConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Entry point of tether-agent.jar: keeps a device's tunnel to the portal. */
public final class AgentMain {
  static final String USAGE =
      """
      Usage: java -jar tether-agent.jar --portal wss://HOST/tunnel --token-file FILE \\
                 --target NAME=serial:/dev/ttyUSB0?baud=115200 --target NAME=tcp:HOST:PORT

      Keeps one outbound tunnel from this device to a Tether portal, reconnecting forever.

        --portal URL        the portal's tunnel endpoint, ws:// or wss:// (env TETHER_PORTAL)
        --token-file FILE   read the device token from FILE (readable only by the agent's user)
        --token TOKEN       the device token (env TETHER_TOKEN); prefer --token-file
        --target SPEC       a target this agent offers (repeatable):
                              NAME=serial:PATH[?baud=115200&databits=8&parity=none&stopbits=1&flow=none]
                              NAME=tcp:HOST:PORT   (a TCP service in this device's LAN)
        --state-dir DIR     where the agent keeps its instance id (env TETHER_STATE_DIR,
                            default ~/.tether-agent)
        --proxy URL         HTTP proxy, e.g. http://user:password@proxy:3128 (env TETHER_PROXY)
        --ca FILE           trust this PEM CA for the portal's TLS certificate (env TETHER_CA)
        --help              show this help
      """;

  private AgentMain() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.getenv(), System.out, System.err));
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    AgentOptions options;
    try {
      options = AgentOptions.parse(args, env);
    } catch (AgentOptions.UsageException e) {
      err.println("tether-agent: " + e.getMessage());
      return 2;
    }
    try (Agent agent =
        new Agent(
            options,
            InstanceId.loadOrCreate(options.stateDir()),
            WsConfig.of(options.ca(), options.proxy()),
            out)) {
      Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "agent-stop"));
      agent.run();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      err.println("tether-agent: " + e.getMessage());
      return 1;
    }
  }
}
