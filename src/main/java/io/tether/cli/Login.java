package io.tether.cli;

import io.tether.wsclient.JsonFields;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tether login}: an API token from a password (and the second factor when the account has
 * one), from a browser sign-in ({@link BrowserSignIn}), or given with --token-file; stored in
 * {@link Credentials}. Without --user, --password-file or --token-file the browser signs in when
 * the portal turns password sign-in off or offers single sign-on.
 */
final class Login {
  /** How long the token {@code login} makes lives unless --ttl says otherwise. */
  static final Duration DEFAULT_TTL = Duration.ofDays(30);

  static final String CODE_PROMPT = "Code (authenticator app or a recovery code): ";

  private final CliArgs args;
  private final Map<String, String> env;
  private final PrintStream out;

  Login(CliArgs args, Map<String, String> env, PrintStream out) {
    this.args = args;
    this.env = env;
    this.out = out;
  }

  int run() throws CliMain.Failure, IOException, InterruptedException {
    String portalText = args.option("--portal").orElse(env.get("TETHER_PORTAL"));
    if (portalText == null) {
      throw new CliArgs.UsageException("--portal URL is required, e.g. https://portal.example.com");
    }
    URI portal = CliArgs.portal(portalText);
    String ca = args.option("--ca").orElse(env.get("TETHER_CA"));
    Duration ttl = CliArgs.duration(args.option("--ttl").orElse(null), DEFAULT_TTL);
    PortalCalls calls = PortalCalls.of(portal, ca, Map.of());
    boolean browser = args.flag("--browser") || args.flag("--no-browser");
    boolean password =
        args.option("--user").isPresent() || args.option("--password-file").isPresent();
    Optional<String> tokenFile = args.option("--token-file");
    if (browser && (password || tokenFile.isPresent())) {
      throw new CliArgs.UsageException(
          "--browser and --no-browser sign in through the portal's page: leave out --user,"
              + " --password-file and --token-file");
    }
    if (tokenFile.isPresent()) {
      return withToken(calls, portal, ca, secret(tokenFile.get(), "API token"));
    }
    if (browser || (!password && browserPreferred(calls))) {
      return withBrowser(calls, portal, ca, ttl);
    }
    return withPassword(calls, portal, ca, ttl);
  }

  /**
   * Whether the portal wants the browser: it lists single sign-on providers, or password sign-in is
   * off. A portal that cannot say (older, or unreachable now) gets the password prompt.
   */
  private static boolean browserPreferred(PortalCalls calls) throws InterruptedException {
    try {
      Object answer = Json.parse(calls.call("GET", "/api/auth/providers", null, 200).body());
      return answer instanceof Map<?, ?> m
          && (Boolean.FALSE.equals(m.get("passwordLogin"))
              || (m.get("items") instanceof java.util.List<?> items && !items.isEmpty()));
    } catch (CliMain.Failure | RuntimeException e) {
      return false;
    }
  }

  private int withToken(PortalCalls calls, URI portal, String ca, String token)
      throws CliMain.Failure, IOException, InterruptedException {
    HttpResponse<String> me =
        calls.with(Map.of("Authorization", "Bearer " + token)).call("GET", "/api/me", null, 200);
    new Credentials(portal, token, 0, ca).save(Credentials.file(env));
    out.println(
        "signed in to "
            + portal
            + " as "
            + JsonFields.string(me.body(), "username").orElse("?")
            + " with the API token given (logout forgets it; revoke it on the portal)");
    return Commands.OK;
  }

  private int withBrowser(PortalCalls calls, URI portal, String ca, Duration ttl)
      throws CliMain.Failure, IOException, InterruptedException {
    if (!ttl.equals(Duration.ofDays(ttl.toDays()))) {
      throw new CliArgs.UsageException("with a browser sign-in --ttl is whole days, e.g. 30d");
    }
    BrowserSignIn.Token token =
        new BrowserSignIn(calls, env, out)
            .run(tokenName(), ttl.toDays(), !args.flag("--no-browser"));
    new Credentials(portal, token.value(), token.id(), ca).save(Credentials.file(env));
    out.println(signedIn(portal, token.username(), token.expiresAt(), token.mfa()));
    return Commands.OK;
  }

  private int withPassword(PortalCalls calls, URI portal, String ca, Duration ttl)
      throws CliMain.Failure, IOException, InterruptedException {
    if ("-".equals(args.option("--password-file").orElse(null))
        && "-".equals(args.option("--code-file").orElse(null))) {
      throw new CliArgs.UsageException("only one of --password-file and --code-file can be -");
    }
    String user = args.option("--user").orElseGet(() -> prompt("Username: "));
    String password =
        args.option("--password-file")
            .map(this::secretOrFail)
            .orElseGet(() -> promptSecret("Password: "));
    HttpResponse<String> login =
        signInStep(
            calls,
            "/api/auth/login",
            "{\"username\":"
                + JsonFields.quote(user)
                + ",\"password\":"
                + JsonFields.quote(password)
                + "}");
    if ("required".equals(JsonFields.string(login.body(), "secondFactor").orElse(null))) {
      String pending =
          JsonFields.string(login.body(), "pendingToken")
              .orElseThrow(() -> new CliMain.Failure("the portal sent no pending sign-in"));
      String code =
          args.option("--code-file").isPresent()
              ? secret(args.option("--code-file").get(), "code")
              : prompt(CODE_PROMPT);
      // six to eight digits are an authenticator's code; anything else a recovery code
      String field = code.replace(" ", "").matches("\\d{6,8}") ? "code" : "recoveryCode";
      login =
          signInStep(
              calls,
              "/api/auth/login/second-factor",
              "{\"pendingToken\":"
                  + JsonFields.quote(pending)
                  + ",\""
                  + field
                  + "\":"
                  + JsonFields.quote(field.equals("code") ? code.replace(" ", "") : code)
                  + "}");
    }
    String cookie =
        login.headers().allValues("Set-Cookie").stream()
            .map(c -> c.split(";", 2)[0])
            .reduce((a, b) -> a + "; " + b)
            .orElseThrow(() -> new CliMain.Failure("the portal set no session cookie"));
    String csrf =
        JsonFields.string(login.body(), "csrfToken")
            .orElseThrow(() -> new CliMain.Failure("the portal sent no CSRF token"));
    PortalCalls session = calls.with(Map.of("Cookie", cookie, "X-CSRF-Token", csrf));
    String name = tokenName();
    HttpResponse<String> made =
        session.call(
            "POST",
            "/api/tokens",
            "{\"name\":"
                + JsonFields.quote(name)
                + ",\"expiresAt\":"
                + JsonFields.quote(Instant.now().plus(ttl).toString())
                + "}",
            201);
    session.call("POST", "/api/auth/logout", null, 204); // the token is what stays
    new Credentials(
            portal,
            JsonFields.string(made.body(), "token")
                .orElseThrow(() -> new CliMain.Failure("the portal sent no token")),
            JsonFields.number(made.body(), "id").orElse(0L),
            ca)
        .save(Credentials.file(env));
    out.println(
        signedIn(
            portal,
            user,
            JsonFields.string(made.body(), "expiresAt").map(Instant::parse).orElse(null),
            Json.parse(made.body()) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("mfa"))));
    return Commands.OK;
  }

  /** A step of the sign-in; a refusal is a failure of login itself (exit 1), not "sign in". */
  private static HttpResponse<String> signInStep(PortalCalls calls, String path, String body)
      throws CliMain.Failure, InterruptedException {
    try {
      return calls.call("POST", path, body, 200);
    } catch (PortalCalls.NotSignedIn e) {
      throw new CliMain.Failure(e.getMessage());
    }
  }

  private static String signedIn(URI portal, String user, Instant expires, boolean mfa) {
    String days =
        expires == null
            ? "never expires"
            : "expires in "
                + Math.max(0, Math.round(Duration.between(Instant.now(), expires).toHours() / 24.0))
                + " days";
    return "signed in to "
        + portal
        + " as "
        + user
        + "; token "
        + tokenName()
        + " "
        + days
        + (mfa ? " (second factor)" : "");
  }

  /** cli@HOST, within the 64 characters a token's name may have. */
  static String tokenName() {
    String name = "cli@" + host();
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private String secretOrFail(String source) {
    try {
      return secret(source, "password");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A secret from a file, or from stdin with "-" (never from the command line). */
  static String secret(String source, String what) throws IOException {
    String text =
        source.equals("-")
            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(Path.of(source));
    String value = text.strip();
    if (value.isEmpty()) {
      throw new IOException("the " + what + " in " + source + " is empty");
    }
    return value;
  }

  private static String prompt(String what) {
    Console c = System.console();
    if (c == null) {
      throw new IllegalStateException(
          "no terminal to ask on: give "
              + (what.equals(CODE_PROMPT) ? "--code-file FILE (or - for stdin)" : "--user"));
    }
    String line = c.readLine(what);
    if (line == null) {
      throw new IllegalStateException("nothing typed: run tether login again");
    }
    return line.strip();
  }

  private static String promptSecret(String what) {
    Console c = System.console();
    if (c == null) {
      throw new IllegalStateException(
          "no terminal to ask on: give --password-file FILE (or - for stdin)");
    }
    return new String(c.readPassword(what));
  }
}
