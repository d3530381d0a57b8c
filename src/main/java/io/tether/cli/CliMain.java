package io.tether.cli;

import io.tether.wsclient.ClientTls;
import io.tether.wsclient.FrameSocket;
import io.tether.wsclient.JsonFields;
import io.tether.wsclient.WsConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** Entry point of tether-cli.jar: forwards local TCP ports to device targets via the portal. */
public final class CliMain {
  static final String USAGE =
      """
      Usage: java -jar tether-cli.jar COMMAND [OPTIONS]   (the package installs it as tether)

        login     sign in to a portal (password, second factor, or in the browser) and keep an
                  API token for the other commands
        logout    revoke that token and forget it
        devices   list the devices you may see
        sessions  list sessions (--live: only live ones)
        replay    play a session's recording in this terminal
        connect   a device target's session in this terminal
        forward   forward a local TCP port to a device target
        completion bash   print bash completion (the package installs it)

      tether COMMAND --help shows a command's options. Exit codes: 0 done, 1 failed (one line
      says why), 2 a bad command line, 3 not signed in (run tether login).
      """;

  static final String COMPLETION_USAGE =
      """
      Usage: tether completion bash

      Prints the bash completion of tether's commands and options. The tether-cli package installs
      it; elsewhere add `source <(tether completion bash)` to ~/.bashrc.
      """;

  static final String FORWARD_USAGE =
      """
      Usage: tether forward DEVICE TARGET --listen 127.0.0.1:4001 \\
                 [--portal https://HOST --token API_TOKEN] [--rfc2217] [--take-over]
                 [--code-file FILE|-]

      Forwards each TCP connection accepted on --listen to a device target through the portal.

        --listen ADDR:PORT  local address to accept connections on (default 127.0.0.1:4001)
        --portal URL        the portal's URL (env TETHER_PORTAL; default: tether login's)
        --token TOKEN       an API token (env TETHER_TOKEN; default: tether login's)
        --ca FILE           trust this PEM CA for the portal's TLS certificate (env TETHER_CA)
        --rfc2217           serial targets only: each connection speaks Telnet with RFC 2217
                            COM port control, so host software can set the device port's baud
                            rate, data bits, parity, stop bits, flow control, DTR, RTS and BREAK
                            (pyserial: rfc2217://127.0.0.1:4001, or a COM port redirector)
        --take-over         serial targets only: take control of the target's session when
                            someone else controls it (they become an observer); without it such
                            a connection is refused and the controller's name is printed
        --code-file FILE|-  where a group asks for your second factor again before each
                            session: read the code of your authenticator app from FILE (- for
                            stdin) instead of asking on the terminal
        --help              show this help
      """;

  static final String LOGIN_USAGE =
      """
      Usage: tether login --portal URL [--browser | --no-browser] [--ttl 30d] [--ca FILE]
             tether login --portal URL [--user NAME] [--password-file FILE|-]
                          [--code-file FILE|-] [--ttl 30d] [--ca FILE]
             tether login --portal URL --token-file FILE|-

      Stores a new API token named cli@HOST that expires after --ttl (default 30d, at most 365d)
      in $XDG_CONFIG_HOME/tether/credentials (mode 0600); tether logout revokes it.

        --browser        sign in on the portal's page, by any means it allows (single sign-on
                         too): the browser ($BROWSER, else xdg-open or open) opens there, you
                         allow the sign-in and the page hands this command a one-time code
                         through 127.0.0.1. The default without --user, --password-file and
                         --token-file when the portal offers single sign-on or has password
                         sign-in off
        --no-browser     the same, but print the address to open (on any computer) and ask
                         for the code the page shows
        --user NAME      sign in with this username and its password (asked for on the
                         terminal, or --password-file FILE, - for stdin; never on the command
                         line); an account with a second factor is then asked for a code of
                         its authenticator app or a recovery code (or --code-file FILE|-)
        --token-file F   store this existing API token instead (logout then only forgets it)
        --ttl 30d        the token's lifetime (a browser sign-in takes whole days); single
                         sign-on may cap it
        --ca FILE        trust this PEM CA for the portal's TLS certificate
      """;

  static final String CONNECT_USAGE =
      """
      Usage: tether connect DEVICE [TARGET] [--code-file FILE|-]

      Joins the session of a device target (default: its first serial target) in this terminal,
      as the web terminal does: you control it when nobody does, else you observe and one line
      says who controls it. Keys go to the device as typed (the terminal is put in raw mode with
      stty: Linux and macOS). After Enter: ~. leaves, ~B sends a serial BREAK, ~T takes control,
      ~? lists these, ~~ sends a ~. Where the device's group asks for your second factor again
      before each session, the code of your authenticator app is asked for on the terminal first
      (or read from --code-file FILE, - for stdin).
      """;

  static final String REPLAY_USAGE =
      """
      Usage: tether replay SESSION [--speed N]

      Plays the recording of session SESSION (an id from tether sessions) in this terminal with
      its timing, N times faster (default 1, at most 1000); pauses over 2 s are cut to 2 s. Needs
      the replay right on the device's group.
      """;

  static final String LIST_USAGE =
      """
      Usage: tether devices [--group G] [--online] [--json]
             tether sessions [--live] [--json]

      Lists what you may see, with the credentials of tether login (or --portal/--token, env
      TETHER_PORTAL/TETHER_TOKEN). --json prints the portal's objects as one JSON array.
      """;

  private CliMain() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.getenv(), System.out, System.err));
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.print(USAGE);
      return Commands.USAGE;
    }
    String command = args.get(0);
    if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
      out.print(USAGE);
      return Commands.OK;
    }
    if (command.equals("forward")) {
      return forward(args, env, out, err);
    }
    if (command.equals("completion")) {
      if (args.size() != 2 || !args.get(1).equals("bash")) {
        err.print(COMPLETION_USAGE);
        return Commands.USAGE;
      }
      out.print(CliSyntax.bashCompletion());
      return Commands.OK;
    }
    String help =
        switch (command) {
          case "login" -> LOGIN_USAGE;
          case "logout" ->
              "Usage: tether logout\n\nRevokes the token tether login stored and forgets it.\n";
          case "devices", "sessions" -> LIST_USAGE;
          case "replay" -> REPLAY_USAGE;
          case "connect" -> CONNECT_USAGE;
          default -> null;
        };
    if (help == null) {
      err.println("tether: unknown command " + command + " (see tether --help)");
      return Commands.USAGE;
    }
    if (args.contains("--help") || args.contains("-h")) {
      out.print(help);
      return Commands.OK;
    }
    try {
      CliSyntax syntax = CliSyntax.of(command);
      CliArgs parsed = CliArgs.parse(args, syntax.options(), syntax.flags(), syntax.positionals());
      Commands commands = new Commands(parsed, env, out);
      return switch (command) {
        case "login" -> commands.login();
        case "logout" -> commands.logout();
        case "devices" -> commands.devices();
        case "replay" -> commands.replay();
        case "connect" -> commands.connect(err);
        default -> commands.sessions();
      };
    } catch (CliArgs.UsageException e) {
      err.println("tether: " + e.getMessage());
      return Commands.USAGE;
    } catch (PortalCalls.NotSignedIn e) {
      err.println("tether: " + e.getMessage());
      return Commands.NOT_SIGNED_IN;
    } catch (Failure e) {
      err.println("tether: " + e.getMessage());
      return Commands.FAILED;
    } catch (IOException | RuntimeException e) {
      err.println("tether: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return Commands.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Commands.FAILED;
    }
  }

  private static int forward(
      List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(FORWARD_USAGE);
      return 0;
    }
    CliOptions options;
    try {
      options = CliOptions.parse(args, env);
    } catch (CliOptions.UsageException e) {
      err.println("tether-cli: " + e.getMessage());
      return 2;
    }
    try {
      HttpClient client = ClientTls.client(options.ca());
      long deviceId = preflight(client, options);
      try (ServerSocket server = listen(options)) {
        Forwarder forwarder =
            new Forwarder(options.target(), options.rfc2217(), options.takeOver(), out);
        FrameSocket socket =
            FrameSocket.connect(
                    WsConfig.of(options.ca(), null),
                    options.forwardUri(deviceId),
                    options.token(),
                    forwarder)
                .join();
        forwarder.attach(socket);
        forwarder.welcome().join();
        out.println(
            "tether-cli: forwarding "
                + server.getLocalSocketAddress()
                + " to "
                + options.device()
                + "/"
                + options.target()
                + (options.rfc2217() ? " (RFC 2217)" : ""));
        Thread acceptor = new Thread(() -> forwarder.serve(server), "accept");
        acceptor.setDaemon(true);
        acceptor.start();
        String reason = forwarder.closed().join();
        err.println("tether-cli: the portal closed the connection (" + reason + ")");
        return 1;
      }
    } catch (Failure e) {
      err.println("tether-cli: " + e.getMessage());
      return 1;
    } catch (CompletionException e) {
      err.println("tether-cli: cannot connect to the portal: " + e.getCause().getMessage());
      return 1;
    } catch (Exception e) {
      err.println("tether-cli: " + e.getMessage());
      return 1;
    }
  }

  /** A failure with a one-line message for the user. */
  static class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /**
   * Asks the portal whether this forward can work now; every refusal becomes one clear line. The
   * device's id, for the forward socket.
   */
  private static long preflight(HttpClient client, CliOptions o)
      throws Failure, InterruptedException {
    HttpResponse<String> response = check(client, o);
    if (FreshCode.asked(response)) {
      FreshCode.present(
          PortalCalls.of(
              o.portal(),
              o.ca() == null ? null : o.ca().toString(),
              java.util.Map.of("Authorization", "Bearer " + o.token())),
          java.util.Optional.ofNullable(o.codeFile()),
          JsonFields.string(response.body(), "detail").orElse("a second factor is asked for"));
      response = check(client, o);
    }
    String detail =
        JsonFields.string(response.body(), "detail").orElse("HTTP " + response.statusCode());
    return switch (response.statusCode()) {
      case 200 -> {
        long deviceId =
            JsonFields.number(response.body(), "deviceId")
                .orElseThrow(() -> new Failure("unexpected answer from the portal"));
        // a portal too old to name the kind is not second-guessed
        java.util.Optional<String> kind = JsonFields.string(response.body(), "kind");
        if (o.rfc2217() && kind.isPresent() && !kind.get().equals("serial")) {
          throw new Failure(
              "--rfc2217 controls a serial port, but "
                  + o.device()
                  + "/"
                  + o.target()
                  + " is a "
                  + kind.get()
                  + " target: forward it without --rfc2217");
        }
        yield deviceId;
      }
      case 401 -> throw new Failure("the portal refused the API token (" + detail + ")");
      default -> throw new Failure(detail);
    };
  }

  /** The forward check: whether the token may forward the target now. */
  private static HttpResponse<String> check(HttpClient client, CliOptions o)
      throws Failure, InterruptedException {
    URI uri =
        URI.create(
            o.portal()
                + "/api/forward/check?device="
                + enc(o.device())
                + "&target="
                + enc(o.target()));
    try {
      return client.send(
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(15))
              .header("Authorization", "Bearer " + o.token())
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach the portal at " + o.portal() + ": " + e.getMessage());
    }
  }

  private static ServerSocket listen(CliOptions o) throws Failure {
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(o.listen());
      return server;
    } catch (BindException e) {
      throw new Failure(
          "cannot listen on "
              + o.listen().getHostString()
              + ":"
              + o.listen().getPort()
              + ": address already in use");
    } catch (IOException e) {
      throw new Failure("cannot listen on " + o.listen() + ": " + e.getMessage());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
