package io.tether.api;

import static io.tether.testing.ApiClient.expectProblem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors answer RFC 9457 problem JSON: status, title, detail, and field for validation. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ProblemJsonTest {

  @Test
  void unknownDeviceIs404ProblemJson() {
    ApiClient admin = ApiClient.admin();
    expectProblem(404, null, admin.cookie().get("/api/devices/999999999"), "GET unknown device");
  }

  @Test
  void validationErrorIs400NamingTheField() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "name",
        admin.cookie().body(Map.of("description", "no name")).post("/api/devices"),
        "POST /api/devices without name");
  }

  @Test
  void malformedJsonIs400ProblemJson() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        null,
        admin.cookie().body("{\"name\": \"half-a-body").post("/api/devices"),
        "POST /api/devices with malformed JSON");
  }

  @Test
  void malformedJsonAtLoginIs400ProblemJson() {
    expectProblem(
        400,
        null,
        ApiClient.anonymousFrom(ApiClient.randomAddress())
            .body("{not json")
            .post("/api/auth/login"),
        "POST /api/auth/login with malformed JSON");
  }

  @Test
  void loginWithoutPasswordIs400NamingPassword() {
    expectProblem(
        400,
        "password",
        ApiClient.anonymousFrom(ApiClient.randomAddress())
            .body(Map.of("username", "admin"))
            .post("/api/auth/login"),
        "POST /api/auth/login without password");
  }

  @Test
  void wrongTypeIs400NamingTheField() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "tags",
        admin
            .cookie()
            .body(Map.of("name", ApiClient.unique("dev"), "tags", "not-a-list"))
            .post("/api/devices"),
        "POST /api/devices with tags as a string");
  }
}
