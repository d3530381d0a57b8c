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

  // NUL cannot be stored in a PostgreSQL text column: every JSON string refuses it, naming the
  // field, before the request reaches a service or the database.

  @Test
  void nulInTheLoginUsernameIs400NamingUsername() {
    expectProblem(
        400,
        "username",
        ApiClient.anonymousFrom(ApiClient.randomAddress())
            .body("{\"username\": \"ad\\u0000min\", \"password\": \"wrong-password\"}")
            .post("/api/auth/login"),
        "POST /api/auth/login with a NUL in username");
  }

  @Test
  void nulInADeviceDescriptionIs400NamingDescription() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "description",
        admin
            .cookie()
            .body(
                "{\"name\": \""
                    + ApiClient.unique("dev")
                    + "\", \"description\": \"hall\\u0000 3\"}")
            .post("/api/devices"),
        "POST /api/devices with a NUL in description");
  }

  @Test
  void nulInAListElementIs400NamingTheList() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "allowCidrs",
        admin
            .cookie()
            .body(
                "{\"name\": \""
                    + ApiClient.unique("dev")
                    + "\", \"mode\": \"raw\", \"allowCidrs\": [\"10.0.0.0/8\\u0000\"]}")
            .post("/api/devices"),
        "POST /api/devices with a NUL in an allowCidrs element");
  }

  @Test
  void nulInATokenNameIs400NamingName() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "name",
        admin.cookie().body("{\"name\": \"ci\\u0000\"}").post("/api/tokens"),
        "POST /api/tokens with a NUL in name");
  }

  // Times must fit what the database stores (years 1 to 9999); beyond, 400 naming the field.

  @Test
  void outOfRangeExpiresAtIs400NamingExpiresAt() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "expiresAt",
        admin
            .cookie()
            .body(
                Map.of("name", ApiClient.unique("tok"), "expiresAt", "+999999999-12-31T23:59:59Z"))
            .post("/api/tokens"),
        "POST /api/tokens with expiresAt in year 999999999");
  }

  @Test
  void outOfRangeTimeQueryParameterIs400NamingIt() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "from",
        admin.cookie().queryParam("from", "+999999999-01-01T00:00:00Z").get("/api/sessions"),
        "GET /api/sessions?from=year 999999999");
    expectProblem(
        400,
        "to",
        admin.cookie().queryParam("to", "+999999999-01-01T00:00:00Z").get("/api/audit"),
        "GET /api/audit?to=year 999999999");
  }

  // A query parameter of the wrong type is a bad request naming the parameter, never a 404.

  @Test
  void nonNumericLimitIs400NamingLimit() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "limit",
        admin.cookie().queryParam("limit", "abc").get("/api/devices"),
        "GET /api/devices?limit=abc");
    expectProblem(
        400,
        "limit",
        admin.cookie().queryParam("limit", "abc").get("/api/users"),
        "GET /api/users?limit=abc");
  }

  @Test
  void nonNumericDeviceFilterIs400NamingDevice() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "device",
        admin.cookie().queryParam("device", "x").get("/api/audit"),
        "GET /api/audit?device=x");
    expectProblem(
        400,
        "device",
        admin.cookie().queryParam("device", "x").get("/api/sessions"),
        "GET /api/sessions?device=x");
  }

  @Test
  void nonBooleanFlagIs400NamingIt() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "online",
        admin.cookie().queryParam("online", "yes").get("/api/devices"),
        "GET /api/devices?online=yes");
    expectProblem(
        400,
        "live",
        admin.cookie().queryParam("live", "1").get("/api/sessions"),
        "GET /api/sessions?live=1");
  }

  @Test
  void nulInAQueryParameterIs400NamingIt() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "actor",
        admin.cookie().queryParam("actor", "ad\u0000min").get("/api/audit"),
        "GET /api/audit?actor=<NUL>");
  }
}
