package io.tether.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Gauges of a portal process, read from Prometheus text at /q/metrics on its management port. */
public final class NodeMetrics {
  /** {@code tether.node.buffered.bytes}: every byte the node holds for all channels. */
  public static final String BUFFERED_BYTES = "tether_node_buffered_bytes";

  /** {@code tether.node.window.growth.bytes}: what grown windows add to the node's base windows. */
  public static final String WINDOW_GROWTH_BYTES = "tether_node_window_growth_bytes";

  /** {@code tether.tunnels.online}: the tunnels the node holds. */
  public static final String TUNNELS_ONLINE = "tether_tunnels_online";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private NodeMetrics() {}

  /** What the node holds for its channels, and how much of it grown windows allow: one scrape. */
  public record Held(long buffered, long grown) {
    /** Bytes held beyond what the grown windows add: bounded by the base windows alone. */
    public long beyondGrowth() {
      return buffered - grown;
    }
  }

  public static Held held(PortalProcess portal) {
    HttpResponse<String> response = scrape(portal);
    return new Held(value(response, BUFFERED_BYTES), value(response, WINDOW_GROWTH_BYTES));
  }

  /** The current value of {@code gauge}, failing the test when the portal does not report it. */
  public static long gauge(PortalProcess portal, String gauge) {
    return value(scrape(portal), gauge);
  }

  private static HttpResponse<String> scrape(PortalProcess portal) {
    HttpResponse<String> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + portal.managementPort() + "/q/metrics"))
              .timeout(Duration.ofSeconds(5))
              .build();
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET /q/metrics failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return response;
  }

  private static long value(HttpResponse<String> response, String gauge) {
    // "tether_node_buffered_bytes 0.0" or "tether_node_buffered_bytes{tag="x"} 0.0"
    String body = response.body();
    return body.lines()
        .filter(l -> l.startsWith(gauge + " ") || l.startsWith(gauge + "{"))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .mapToLong(v -> (long) Double.parseDouble(v))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + gauge
                        + " in /q/metrics ("
                        + response.statusCode()
                        + ", "
                        + body.length()
                        + " chars): "
                        + body.lines().filter(l -> l.startsWith("tether_")).toList()));
  }

  public static long bufferedBytes(PortalProcess portal) {
    return gauge(portal, BUFFERED_BYTES);
  }
}
