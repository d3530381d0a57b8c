package io.tether.agent;

import io.tether.wsclient.JsonFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Settles the device token: the one given, else the one enrolled earlier (state dir), else it
 * enrolls: presents the enrollment token once to the portal's {@code /api/enroll} and keeps the
 * device token it gets. A refusal (bad, used-up, expired or revoked token; a taken name) is final
 * and said in one line; an unreachable or busy portal is retried with backoff.
 */
final class Enroller {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** The portal refused to enroll this device; the message is one line for the user. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final InputStream stdin;
  private final PrintStream log;
  private final Backoff backoff = new Backoff(new SplittableRandom());

  Enroller(HttpClient http, InputStream stdin, PrintStream log) {
    this.http = http;
    this.stdin = stdin;
    this.log = log;
  }

  String deviceToken(AgentOptions options) throws Refused, IOException, InterruptedException {
    if (options.token() != null) {
      return options.token();
    }
    var stored = EnrolledToken.load(options.stateDir());
    if (stored.isPresent()) {
      return stored.get();
    }
    AgentOptions.EnrollRequest request = options.enroll();
    if (request == null) {
      throw new Refused("no device token: the state dir " + options.stateDir() + " holds none");
    }
    String enrollToken = readEnrollToken(request.tokenFile());
    URI uri = enrollUri(options.portal());
    while (true) {
      try {
        String token = attempt(uri, enrollToken, request.name());
        Path file = EnrolledToken.store(options.stateDir(), token);
        log.println(
            Agent.stamped(
                "device token kept in " + file + "; the enrollment token is not used again"));
        return token;
      } catch (IOException e) {
        Duration wait = backoff.next();
        log.println(
            Agent.stamped(
                "enrollment: cannot reach the portal at "
                    + uri
                    + " ("
                    + e.getMessage()
                    + "); retrying in "
                    + wait.toSeconds()
                    + " s"));
        Thread.sleep(wait.toMillis());
      }
    }
  }

  private String attempt(URI uri, String enrollToken, String name)
      throws IOException, InterruptedException, Refused {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + enrollToken)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"name\":"
                        + JsonFields.quote(name)
                        + ",\"agentVersion\":"
                        + JsonFields.quote(Agent.VERSION)
                        + "}"))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    String body = response.body();
    int status = response.statusCode();
    if (status == 201) {
      String token =
          JsonFields.string(body, "token")
              .orElseThrow(() -> new IOException("the portal's answer carries no device token"));
      String state = JsonFields.string(body, "state").orElse("active");
      log.println(
          Agent.stamped(
              "enrolled as "
                  + name
                  + " in group "
                  + JsonFields.string(body, "group").orElse("?")
                  + ("pending".equals(state)
                      ? ": pending until an admin approves it in the portal"
                      : ": active")));
      return token;
    }
    String detail = JsonFields.string(body, "detail").orElse("HTTP " + status);
    if (status >= 500 || status == 429) {
      throw new IOException("HTTP " + status + ": " + detail);
    }
    throw new Refused("enrollment refused (" + status + "): " + detail);
  }

  private String readEnrollToken(String source) throws IOException, Refused {
    String token;
    if ("-".equals(source)) {
      token = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
    } else {
      try {
        token = Files.readString(Path.of(source));
      } catch (IOException e) {
        throw new Refused("cannot read --enroll-token-file " + source + ": " + e.getMessage());
      }
    }
    if (token == null || token.isBlank()) {
      throw new Refused("the enrollment token in " + describe(source) + " is empty");
    }
    return token.trim();
  }

  private static String describe(String source) {
    return "-".equals(source) ? "standard input" : source;
  }

  /**
   * The portal's enrollment endpoint beside its tunnel endpoint: wss://h/tunnel →
   * https://h/api/enroll.
   */
  static URI enrollUri(URI portal) {
    String scheme = "wss".equals(portal.getScheme()) ? "https" : "http";
    String path = portal.getPath() == null ? "" : portal.getPath();
    String base =
        path.endsWith("/tunnel") ? path.substring(0, path.length() - "tunnel".length()) : "/";
    try {
      return new URI(scheme, portal.getRawAuthority(), base + "api/enroll", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot derive the enrollment URL from " + portal, e);
    }
  }
}
