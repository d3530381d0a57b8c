package io.tether.cli;

import io.tether.wsclient.JsonFields;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tether login --browser}: the sign-in of native apps (RFC 8252) with PKCE (RFC 7636). The
 * portal's page {@code /cli-login}, in a browser signed in by any means the portal allows (single
 * sign-on included), asks the user to allow it and hands a single-use code to this CLI's loopback
 * listener (or shows it to paste); the CLI trades the code and its verifier for an API token.
 */
final class BrowserSignIn {
  /** How long the CLI waits for the browser: time to sign in, single sign-on included. */
  static final Duration WAIT = Duration.ofMinutes(5);

  /** A browser launcher that has not failed within this long is taken as started. */
  static final Duration LAUNCH_CHECK = Duration.ofSeconds(3);

  /** 32 random bytes: a 43-character verifier, RFC 7636's minimum length and its advice. */
  static final int VERIFIER_BYTES = 32;

  static final int STATE_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The token the exchange made. */
  record Token(String value, long id, String username, Instant expiresAt, boolean mfa) {}

  private final PortalCalls calls;
  private final Map<String, String> env;
  private final PrintStream out;

  BrowserSignIn(PortalCalls calls, Map<String, String> env, PrintStream out) {
    this.calls = calls;
    this.env = env;
    this.out = out;
  }

  /** Signs in through a browser: opened here when {@code open}, else the user pastes the code. */
  Token run(String name, long ttlDays, boolean open)
      throws CliMain.Failure, IOException, InterruptedException {
    String verifier = random(VERIFIER_BYTES);
    String challenge = challenge(verifier);
    String state = random(STATE_BYTES);
    String page =
        calls.portal()
            + "/cli-login?state="
            + state
            + "&challenge="
            + challenge
            + "&name="
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + "&days="
            + ttlDays;
    if (open) {
      try (LoopbackCallback callback = LoopbackCallback.listen(state)) {
        String url = page + "&port=" + callback.port();
        if (openBrowser(url)) {
          out.println("Opened your browser at " + url);
          out.println("Allow the sign-in there (waiting up to " + WAIT.toMinutes() + " minutes).");
          out.flush();
          LoopbackCallback.Answer answer = callback.await(WAIT);
          if (answer.code() == null) {
            throw new CliMain.Failure("the sign-in was cancelled in the browser");
          }
          return exchange(answer.code(), verifier);
        }
        out.println("No browser could be started here ($BROWSER, xdg-open or open).");
      }
    }
    out.println("Open this address in a browser signed in to the portal and allow the sign-in:");
    out.println("  " + page);
    String code = readCode();
    return exchange(code, verifier);
  }

  private Token exchange(String code, String verifier)
      throws CliMain.Failure, InterruptedException {
    String body;
    try {
      body =
          calls
              .call(
                  "POST",
                  "/api/auth/cli/exchange",
                  "{\"code\":"
                      + JsonFields.quote(code)
                      + ",\"verifier\":"
                      + JsonFields.quote(verifier)
                      + "}",
                  201)
              .body();
    } catch (PortalCalls.NotSignedIn e) {
      throw new CliMain.Failure(e.getMessage());
    }
    return new Token(
        JsonFields.string(body, "token")
            .orElseThrow(() -> new CliMain.Failure("the portal sent no token")),
        JsonFields.number(body, "id").orElse(0L),
        JsonFields.string(body, "username").orElse("?"),
        JsonFields.string(body, "expiresAt").map(Instant::parse).orElse(null),
        Json.parse(body) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("mfa")));
  }

  /** The code the page shows, typed or pasted on the terminal (else one line of stdin). */
  private String readCode() throws CliMain.Failure, IOException {
    String prompt = "Code shown by the page: ";
    Console console = System.console();
    String line;
    if (console != null) {
      line = console.readLine(prompt);
    } else {
      out.print(prompt);
      out.flush();
      line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (line == null || line.isBlank()) {
      throw new CliMain.Failure("no code given: run tether login again");
    }
    return line.strip();
  }

  /**
   * Starts the browser at {@code url}: each command of $BROWSER (colon-separated; %s stands for the
   * URL, else it is appended), else xdg-open (open on macOS). A command counts as started unless it
   * cannot run or exits with a failure within {@link #LAUNCH_CHECK}.
   */
  boolean openBrowser(String url) throws InterruptedException {
    List<List<String>> commands = new ArrayList<>();
    String browser = env.get("BROWSER");
    if (browser != null && !browser.isBlank()) {
      for (String entry : browser.split(":")) {
        if (!entry.isBlank()) {
          List<String> words = new ArrayList<>(List.of(entry.strip().split("\\s+")));
          if (words.stream().anyMatch(w -> w.contains("%s"))) {
            words.replaceAll(w -> w.replace("%s", url));
          } else {
            words.add(url);
          }
          commands.add(words);
        }
      }
    } else if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")) {
      commands.add(List.of("open", url));
    } else {
      commands.add(List.of("xdg-open", url));
    }
    for (List<String> command : commands) {
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(LAUNCH_CHECK.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() == 0) {
          return true;
        }
      } catch (IOException e) {
        // not installed: try the next one
      }
    }
    return false;
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** RFC 7636 S256: {@code BASE64URL(SHA256(ASCII(verifier)))} without padding. */
  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
