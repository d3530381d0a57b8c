package io.tether.wsclient;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server answered the WebSocket upgrade with an HTTP status other than 101 (401 for a bad
 * token, 503 with Retry-After when busy): the status and the headers, for the caller to decide how
 * long to wait.
 */
public final class UpgradeRefused extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, List<String>> headers;

  /** {@code headers} keyed by lower-case name. */
  UpgradeRefused(int status, String reasonPhrase, Map<String, List<String>> headers) {
    super("the server refused the WebSocket upgrade: HTTP " + status + " " + reasonPhrase);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  public int status() {
    return status;
  }

  /** Every header of the answer, keyed by lower-case name. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header (any case), if the answer had it. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
