package io.tether.ssh;

import static io.tether.testing.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import org.junit.jupiter.api.Test;

/** {@code GET /api/ssh} is public; with no {@code TETHER_SSH_PORT} there is no SSH server. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SshResourceTest {
  @Test
  void theSshServerIsOffWhenNoPortIsSetAndAnyoneMayAsk() {
    JsonPath ssh = expect(200, ApiClient.anonymous().get("/api/ssh"), "GET /api/ssh").jsonPath();
    assertEquals(false, ssh.getBoolean("enabled"));
    assertNull(ssh.get("port"), () -> "a port without a server: " + ssh.prettify());
  }
}
