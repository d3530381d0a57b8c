package io.tether.db;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Checks that an external database's host and port answer before the portal starts, so that a wrong
 * TETHER_DB_URL fails within seconds with a line naming host and port (never credentials).
 */
public final class DatabaseProbe {
  /** Long enough for a database across a WAN, short enough to fail a start promptly. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private DatabaseProbe() {}

  public record Endpoint(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** Host and port of a {@code jdbc:postgresql://} URL (first host when several are listed). */
  public static Endpoint endpoint(String jdbcUrl) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()).split(",")[0]);
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    return new Endpoint(host, port);
  }

  /** Throws with a one-line reason when the endpoint does not accept a TCP connection. */
  public static void requireReachable(Endpoint endpoint) {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(endpoint.host(), endpoint.port()),
          (int) CONNECT_TIMEOUT.toMillis());
    } catch (IOException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new DatabaseStartException(
          "cannot reach the database at " + endpoint + " (" + reason + ")");
    }
  }
}
