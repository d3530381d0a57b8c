package io.tether.cli;

import io.tether.wsclient.JsonFields;
import java.io.Console;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The second factor again for an API token: a group that asks for it before each session refuses a
 * token whose code is older than its minutes (401 {@value #MFA_REQUIRED}). The code of the user's
 * authenticator app, from {@code --code-file} or asked for on the terminal, is presented for the
 * token ({@code POST /api/me/second-factor/fresh}) and counts for the group's minutes.
 */
final class FreshCode {
  /** The problem type of a token refused for want of a (fresh) second factor. */
  static final String MFA_REQUIRED = "urn:tether:problem:mfa-required";

  static final String PROMPT = "Code from your authenticator app: ";

  private FreshCode() {}

  /** Whether the portal refused for want of a fresh code. */
  static boolean asked(HttpResponse<String> response) {
    return response.statusCode() == 401
        && JsonFields.string(response.body(), "type").filter(MFA_REQUIRED::equals).isPresent();
  }

  /** Whether the signed-in user must present a code before a session on {@code group}. */
  static boolean askedFor(PortalCalls calls, String group)
      throws CliMain.Failure, InterruptedException {
    Object me = Json.parse(calls.call("GET", "/api/me", null, 200).body());
    return me instanceof java.util.Map<?, ?> m
        && m.get("freshSecondFactor") instanceof List<?> groups
        && groups.contains(group);
  }

  /**
   * Reads a code ({@code codeFile}, else the terminal) and presents it for the token; {@code why}
   * is the portal's words, printed before asking. A wrong code is the portal's refusal.
   */
  static void present(PortalCalls calls, Optional<Path> codeFile, String why)
      throws CliMain.Failure, InterruptedException {
    String code = read(codeFile, why).replaceAll("\\s", "");
    if (!code.matches("[0-9]{6,8}")) {
      throw new CliMain.Failure("a code of your authenticator app is 6 digits, not " + code);
    }
    calls.call("POST", "/api/me/second-factor/fresh", "{\"code\":\"" + code + "\"}", 204);
  }

  private static String read(Optional<Path> codeFile, String why) throws CliMain.Failure {
    if (codeFile.isPresent()) {
      try {
        return Login.secret(codeFile.get().toString(), "code");
      } catch (IOException e) {
        throw new CliMain.Failure("cannot read the code: " + e.getMessage());
      }
    }
    Console console = System.console();
    if (console == null) {
      throw new CliMain.Failure(why + " (no terminal to ask on: give --code-file FILE or -)");
    }
    console.printf("%s%n", why);
    String line = console.readLine(PROMPT);
    if (line == null) {
      throw new CliMain.Failure("no code typed");
    }
    return line;
  }
}
