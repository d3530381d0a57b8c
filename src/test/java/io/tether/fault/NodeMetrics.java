package io.tether.fault;

import io.tether.testing.PortalProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Gauges of a portal process, read from Prometheus text at /q/metrics on its management port. */
final class NodeMetrics {
  /** {@code tether.node.buffered.bytes}: every byte the node holds for all channels. */
  static final String BUFFERED_BYTES = "tether_node_buffered_bytes";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private NodeMetrics() {}

  /** The current value of {@code gauge}, failing the test when the portal does not report it. */
  static long gauge(PortalProcess portal, String gauge) {
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

  static long bufferedBytes(PortalProcess portal) {
    return gauge(portal, BUFFERED_BYTES);
  }
}
