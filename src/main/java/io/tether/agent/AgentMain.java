package io.tether.agent;

import io.tether.wsclient.ClientTls;
import io.tether.wsclient.WsConfig;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Entry point of tether-agent.jar: keeps a device's tunnel to the portal. */
public final class AgentMain {
  static final String USAGE =
      """
      Usage: java -jar tether-agent.jar --portal wss://HOST/tunnel --token-file FILE \\
                 --target NAME=serial:/dev/ttyUSB0?baud=115200 --target NAME=tcp:HOST:PORT
       java -jar tether-agent.jar --portal wss://HOST/tunnel \\
                 --enroll-token-file FILE --name NAME --target …

      Keeps one outbound tunnel from this device to a Tether portal, reconnecting forever.

        --portal URL        the portal's tunnel endpoint, ws:// or wss:// (env TETHER_PORTAL)
        --token-file FILE   read the device token from FILE (readable only by the agent's user)
        --token TOKEN       the device token (env TETHER_TOKEN); prefer --token-file
        --enroll-token-file FILE
                            enroll this device with an enrollment token read from FILE
                            ("-": standard input); the device token the portal issues is
                            kept in the state dir (mode 0600) and used from then on
        --name NAME         the device's name when enrolling
        --target SPEC       a target this agent offers (repeatable):
                              NAME=serial:PATH[?baud=115200&databits=8&parity=none&stopbits=1&flow=none]
                              NAME=tcp:HOST:PORT   (a TCP service in this device's LAN)
        --state-dir DIR     where the agent keeps its instance id and an enrolled device
                            token (env TETHER_STATE_DIR,
                            default ~/.tether-agent)
        --proxy URL         HTTP proxy, e.g. http://user:password@proxy:3128 (env TETHER_PROXY)
        --ca FILE           trust this PEM CA for the portal's TLS certificate (env TETHER_CA)
        --upgrade-key FILE  the portal's agent signing key (PEM, /downloads/agent-signing.pub):
                            accept upgrades the portal signed with it; without it every
                            upgrade is refused
        --help              show this help
      """;

  /** The exit code when the portal refused to enroll this device (2 is a bad command line). */
  static final int REFUSED = 3;

  private AgentMain() {}

  public static void main(String[] args) {
    // the JDK's HTTP client sends no Basic credentials to a proxy's CONNECT unless allowed
    System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
    System.exit(run(List.of(args), System.getenv(), System.in, System.out, System.err));
  }

  static void exitForRestart(int code) {
    System.exit(code); // the shutdown hook closes the agent
  }

  static int run(
      List<String> args,
      Map<String, String> env,
      InputStream in,
      PrintStream out,
      PrintStream err) {
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
    try {
      return run(options, env, in, out);
    } catch (Enroller.Refused e) {
      err.println("tether-agent: " + e.getMessage());
      return REFUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      err.println("tether-agent: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Settles the device token (enrolling if it must), then keeps the tunnel until stopped: 0, or
   * {@link AgentUpgrader#RESTART_EXIT_CODE} to be restarted on an upgraded jar.
   */
  private static int run(
      AgentOptions options, Map<String, String> env, InputStream in, PrintStream out)
      throws Exception {
    AgentOptions settled =
        options.withToken(
            new Enroller(ClientTls.client(options.ca(), options.proxy()), in, out)
                .deviceToken(options));
    try (Agent agent =
        new Agent(
            settled,
            InstanceId.loadOrCreate(settled.stateDir()),
            WsConfig.of(settled.ca(), settled.proxy()),
            out,
            env,
            AgentMain::exitForRestart)) {
      Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "agent-stop"));
      agent.run();
      return agent.restartRequested() ? AgentUpgrader.RESTART_EXIT_CODE : 0;
    }
  }
}
