package io.tether.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each device says how its terminal output is displayed: utf-8 (default), latin-1 or cp437. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class DeviceEncodingTest {
  @Test
  void newDevicesDisplayAsUtf8() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice device = admin.createDevice(null);
    String encoding =
        ApiClient.expect(200, admin.cookie().get("/api/devices/" + device.id()), "GET device")
            .jsonPath()
            .getString("encoding");
    assertEquals("utf-8", encoding);
  }

  @Test
  void anAdminSetsTheEncodingOfADevice() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice device = admin.createDevice(null);
    String encoding =
        ApiClient.expect(
                200,
                admin
                    .cookie()
                    .body(Map.of("encoding", "cp437"))
                    .patch("/api/devices/" + device.id()),
                "PATCH encoding")
            .jsonPath()
            .getString("encoding");
    assertEquals("cp437", encoding);
  }

  @Test
  void rejectsAnUnknownEncodingNamingTheField() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice device = admin.createDevice(null);
    ApiClient.expectProblem(
        400,
        "encoding",
        admin.cookie().body(Map.of("encoding", "ebcdic")).patch("/api/devices/" + device.id()),
        "PATCH encoding ebcdic");
  }
}
