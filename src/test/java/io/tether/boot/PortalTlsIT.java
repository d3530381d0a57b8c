package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.Build;
import io.tether.testing.PortalProcess;
import io.tether.testing.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a certificate and key configured, the portal serves HTTPS itself. */
class PortalTlsIT {
  @Test
  void readinessAnswersOverHttpsWithASelfSignedCertificate() throws Exception {
    Path dir = Build.workDir("tls");
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "127.0.0.1");
    Map<String, String> env = new HashMap<>();
    env.put("TETHER_TLS_CERT", cert.certificate().toString());
    env.put("TETHER_TLS_KEY", cert.privateKey().toString());
    env.put("TETHER_ADMIN_PASSWORD", null); // exercise the generated-password path too
    try (PortalProcess portal = PortalProcess.create("tls", env)) {
      portal.startOverHttps(cert.trustingContext());
      HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
      URI ready = URI.create("https://127.0.0.1:" + portal.httpPort() + "/q/health/ready");
      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertTrue(response.body().contains("\"UP\""), response.body());
      assertTrue(
          portal.log().contains("generated password"),
          "the generated admin password is announced once");
    }
  }
}
