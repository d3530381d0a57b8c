package io.tether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.deviceweb.DeviceWebApp;
import io.tether.deviceweb.RawHttp;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.DelayRelay;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalProcess;
import io.tether.testing.Started;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * W1: a device's web page through the portal (issue #21): time to first byte and throughput of the
 * 20 MiB download of {@link DeviceWebApp}, direct (loopback) and through agent → portal → the
 * device-web proxy, also with 100 ms of round trip added between agent and portal ({@link
 * DelayRelay}). Best of 3 after a warm-up; every download is checked by SHA-256. Figures only. Run
 * alone: {@code ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile
 * failsafe:integration-test@bench -Dit.test=DeviceWebBench} (after a package).
 */
class DeviceWebBench {
  static final String LABEL = "W1";
  private static final int RUNS = 3;

  @Test
  void downloadThroughTheProxyAgainstDirect() throws Exception {
    try (Started started = new Started()) {
      PortalProcess portal =
          started.add(
              PortalProcess.create(
                  "bench-web",
                  Map.of(
                      "TETHER_PUBLIC_URL", "http://127.0.0.1:" + PortalProcess.HTTP_PORT,
                      "TETHER_WEB_DOMAIN", "http://web.localhost:" + PortalProcess.HTTP_PORT,
                      "TETHER_WEB_DOMAIN_INSECURE_LOOPBACK_FOR_TESTS", "true")));
      portal.start();
      DeviceWebApp app = started.add(new DeviceWebApp());
      PortalApi admin = PortalApi.signIn(portal.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
      String expected = DeviceWebApp.patternSha();

      Timing direct =
          best(
              () -> RawHttp.send(app.port(), app.address(), "GET", "/download", Map.of(), null),
              expected);
      report("direct (loopback)", direct, null);

      String tunnel = "127.0.0.1:" + portal.httpPort();
      Timing proxied = best(proxy(portal, admin, started, app, tunnel), expected);
      report("through the proxy", proxied, direct);

      DelayRelay slow = started.add(DelayRelay.to(portal.httpPort(), Duration.ofMillis(100)));
      Timing far = best(proxy(portal, admin, started, app, "127.0.0.1:" + slow.port()), expected);
      report("through the proxy, +100 ms round trip", far, direct);
    }
  }

  /** A download, timed. */
  interface Download {
    RawHttp.Response get() throws Exception;
  }

  record Timing(double firstByteMs, double mbPerSecond) {}

  /** A device with the web target behind an agent reaching the portal at {@code tunnel}. */
  private static Download proxy(
      PortalProcess portal, PortalApi admin, Started started, DeviceWebApp app, String tunnel) {
    JsonNode created = admin.post("/api/devices", Map.of("name", PortalApi.unique("bench-web")));
    long id = created.get("id").asLong();
    started
        .add(
            AgentProcess.create(
                created.get("name").asText(),
                "ws://" + tunnel + "/tunnel",
                created.get("token").asText(),
                List.of("ui=tcp:" + app.address()),
                List.of()))
        .start();
    Await.until(
        "device online",
        Duration.ofSeconds(30),
        () -> admin.get("/api/devices/" + id).get("online").asBoolean());
    PortalApi.expect(
        200,
        admin.request(
            "PATCH",
            "/api/devices/" + id,
            Map.of("webTargets", Map.of("ui", Map.of("scheme", "http")))),
        "mark ui as web");
    URI launch =
        URI.create(
            PortalApi.expect(
                    200,
                    admin.request("POST", "/api/devices/" + id + "/web/ui/launch", Map.of()),
                    "launch")
                .get("url")
                .asText());
    String host = launch.getHost() + ":" + launch.getPort();
    String cookie;
    try {
      String set =
          RawHttp.send(
                  portal.httpPort(),
                  host,
                  "GET",
                  launch.getRawPath() + "?" + launch.getRawQuery(),
                  Map.of(),
                  null)
              .header("Set-Cookie")
              .orElseThrow();
      cookie = set.substring(0, set.indexOf(';'));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return () ->
        RawHttp.send(portal.httpPort(), host, "GET", "/download", Map.of("Cookie", cookie), null);
  }

  private static Timing best(Download download, String expected) throws Exception {
    download.get(); // warm-up
    Timing best = null;
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      RawHttp.Response r = download.get();
      long end = System.nanoTime();
      if (!r.sha256().equals(expected) || r.length() != DeviceWebApp.BIG) {
        throw new AssertionError("the download was not byte-exact: " + r.length() + " bytes");
      }
      Timing t =
          new Timing((r.headNanos() - start) / 1e6, DeviceWebApp.BIG / 1e6 / ((end - start) / 1e9));
      BenchReport.note(
          LABEL,
          String.format(
              "run %d: first byte %.1f ms, %.1f MB/s", i + 1, t.firstByteMs(), t.mbPerSecond()));
      if (best == null || t.mbPerSecond() > best.mbPerSecond()) {
        best = t;
      }
    }
    return best;
  }

  private static void report(String what, Timing t, Timing direct) {
    BenchReport.figure(
        LABEL,
        "20 MiB device web page download, " + what,
        String.format("first byte %.1f ms, %.1f MB/s", t.firstByteMs(), t.mbPerSecond()),
        direct == null
            ? "—"
            : String.format(
                "direct: %.1f ms, %.1f MB/s", direct.firstByteMs(), direct.mbPerSecond()),
        "—",
        "info");
  }
}
