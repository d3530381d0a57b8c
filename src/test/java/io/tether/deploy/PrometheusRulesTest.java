package io.tether.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.PrometheusRules;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus/alerts.yml names only metrics the portal serves: a renamed metric would leave
 * an alert that never fires. promtool checks the file's syntax where it is installed.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class PrometheusRulesTest {

  @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
  URL metrics;

  @Test
  void everyMetricTheAlertRulesUseIsServedAtQMetrics() throws IOException {
    Set<String> used = new TreeSet<>(PrometheusRules.used());
    assertTrue(used.size() >= 4, "the rules name the portal's metrics: " + used);
    used.removeIf(n -> n.startsWith(PrometheusRules.CLUSTER_ONLY));
    String served = given().get(metrics).then().statusCode(200).extract().asString();
    assertEquals(
        Set.of(),
        PrometheusRules.notServed(used, served),
        "metrics the alert rules use but a fresh portal's /q/metrics does not serve");
  }

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    // Debian's prometheus package is one of the test tools (.ci/test-tools): checked before tests
    Path promtool = Path.of("/usr/bin/promtool");
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "rules", PrometheusRules.FILE.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "promtool check rules: " + out);
  }
}
