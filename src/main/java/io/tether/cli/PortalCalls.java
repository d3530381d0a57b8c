package io.tether.cli;

import io.tether.wsclient.ClientTls;
import io.tether.wsclient.JsonFields;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * REST calls to the portal with a bearer token or a signed-in cookie; every refusal becomes one
 * line for the user (the problem's detail).
 */
final class PortalCalls {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** A refusal the user must sign in again for (401). */
  static final class NotSignedIn extends CliMain.Failure {
    private static final long serialVersionUID = 1L;

    NotSignedIn(String message) {
      super(message);
    }
  }

  private final HttpClient client;
  private final URI portal;
  private final Map<String, String> headers;
  private final Duration timeout;

  private PortalCalls(
      HttpClient client, URI portal, Map<String, String> headers, Duration timeout) {
    this.client = client;
    this.portal = portal;
    this.headers = headers;
    this.timeout = timeout;
  }

  static PortalCalls of(URI portal, String ca, Map<String, String> headers) throws CliMain.Failure {
    try {
      return new PortalCalls(
          ClientTls.client(ca == null ? null : Path.of(ca)), portal, headers, TIMEOUT);
    } catch (Exception e) { // the file unreadable, or not a PEM certificate
      throw new CliMain.Failure("cannot read the CA file " + ca + ": " + e.getMessage());
    }
  }

  PortalCalls with(Map<String, String> more) {
    Map<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.putAll(more);
    return new PortalCalls(client, portal, all, timeout);
  }

  /** The same calls, each answered within {@code limit} or failed. */
  PortalCalls within(Duration limit) {
    return new PortalCalls(client, portal, headers, limit);
  }

  /** The answer's body when its status is {@code expected}; a Failure with its detail otherwise. */
  HttpResponse<String> call(String method, String path, String jsonBody, int expected)
      throws CliMain.Failure, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(portal + path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    HttpResponse<String> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliMain.Failure("cannot reach the portal at " + portal + ": " + e.getMessage());
    }
    if (r.statusCode() == expected) {
      return r;
    }
    String detail = JsonFields.string(r.body(), "detail").orElse("HTTP " + r.statusCode());
    if (r.statusCode() == 401) {
      throw new NotSignedIn(detail);
    }
    throw new CliMain.Failure(detail);
  }

  URI portal() {
    return portal;
  }
}
