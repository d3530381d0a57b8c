package io.tether.api;

import static io.tether.testing.ApiClient.anonymous;
import static io.tether.testing.ApiClient.expectProblem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint family refuses a request without valid credentials with 401 problem JSON. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class UnauthenticatedRequestsTest {

  /** Each endpoint with a body valid for it, so only the missing credentials can be refused. */
  static Stream<Arguments> endpoints() {
    return Stream.of(
        Arguments.of("GET", "/api/me", null),
        Arguments.of(
            "POST",
            "/api/me/password",
            "{\"currentPassword\":\"abcdefgh1\",\"newPassword\":\"abcdefgh2\"}"),
        Arguments.of("POST", "/api/auth/logout", null),
        Arguments.of("POST", "/api/auth/logout-everywhere", null),
        Arguments.of("GET", "/api/users", null),
        Arguments.of(
            "POST",
            "/api/users",
            "{\"username\":\"nobody-x\",\"password\":\"abcdefgh1\",\"admin\":false}"),
        Arguments.of("GET", "/api/users/1", null),
        Arguments.of("PATCH", "/api/users/1", "{\"disabled\":false}"),
        Arguments.of("DELETE", "/api/users/1", null),
        Arguments.of("POST", "/api/users/1/password", "{\"password\":\"abcdefgh1\"}"),
        Arguments.of("GET", "/api/users/1/grants", null),
        Arguments.of("POST", "/api/users/1/grants", "{\"group\":\"default\",\"role\":\"viewer\"}"),
        Arguments.of("DELETE", "/api/users/1/grants/1", null),
        Arguments.of("GET", "/api/groups", null),
        Arguments.of("POST", "/api/groups", "{\"name\":\"nobody-group\"}"),
        Arguments.of("PATCH", "/api/groups/1", "{\"defaultTags\":[\"x\"]}"),
        Arguments.of("GET", "/api/tokens", null),
        Arguments.of("POST", "/api/tokens", "{\"name\":\"nobody-token\"}"),
        Arguments.of("DELETE", "/api/tokens/1", null),
        Arguments.of("POST", "/api/me/second-factor/fresh", "{\"code\":\"123456\"}"),
        Arguments.of("GET", "/api/me/ssh-keys", null),
        Arguments.of("POST", "/api/me/ssh-keys", "{\"name\":\"k\",\"publicKey\":\"x\"}"),
        Arguments.of("DELETE", "/api/me/ssh-keys/1", null),
        Arguments.of("POST", "/api/me/webauthn/registration", null),
        Arguments.of(
            "POST", "/api/me/webauthn/registration/finish", "{\"name\":\"k\",\"credential\":{}}"),
        Arguments.of("GET", "/api/me/webauthn/credentials", null),
        Arguments.of("PATCH", "/api/me/webauthn/credentials/1", "{\"name\":\"k\"}"),
        Arguments.of("DELETE", "/api/me/webauthn/credentials/1", null),
        Arguments.of("GET", "/api/users/1/ssh-keys", null),
        Arguments.of("DELETE", "/api/users/1/ssh-keys/1", null),
        Arguments.of("GET", "/api/devices", null),
        Arguments.of("POST", "/api/devices", "{\"name\":\"nobody-device\"}"),
        Arguments.of("GET", "/api/devices/1", null),
        Arguments.of("POST", "/api/devices/1/web/ui/launch", null),
        Arguments.of("PATCH", "/api/devices/1", "{\"description\":\"x\"}"),
        Arguments.of("DELETE", "/api/devices/1", null),
        Arguments.of("POST", "/api/devices/1/token", null),
        Arguments.of("POST", "/api/devices/1/approve", null),
        Arguments.of("POST", "/api/devices/1/reject", null),
        Arguments.of("POST", "/api/devices/import?dryRun=true", "name\nnobody-device"),
        Arguments.of("POST", "/api/devices/import?dryRun=false", "name\nnobody-device"),
        Arguments.of("POST", "/api/devices/1/agent-upgrade", null),
        Arguments.of("GET", "/api/devices/1/agent-upgrade", null),
        Arguments.of("POST", "/api/groups/default/agent-upgrade", null),
        Arguments.of("GET", "/api/groups/default/console-rules", null),
        Arguments.of(
            "POST", "/api/groups/default/console-rules", "{\"name\":\"x\",\"pattern\":\"x\"}"),
        Arguments.of("DELETE", "/api/groups/default/console-rules/1", null),
        Arguments.of("GET", "/api/enrollment-tokens", null),
        Arguments.of("POST", "/api/enrollment-tokens", "{\"group\":\"default\"}"),
        Arguments.of("DELETE", "/api/enrollment-tokens/1", null),
        Arguments.of("GET", "/api/me/email", null),
        Arguments.of("PUT", "/api/me/email", "{\"address\":\"a@b.example\"}"),
        Arguments.of("DELETE", "/api/me/email", null),
        Arguments.of("GET", "/api/me/alerts", null),
        Arguments.of("PUT", "/api/me/alerts", "{\"items\":[]}"),
        Arguments.of("GET", "/api/users/1/email", null),
        Arguments.of("PUT", "/api/users/1/email", "{\"address\":\"a@b.example\"}"),
        Arguments.of("DELETE", "/api/users/1/email", null),
        Arguments.of("GET", "/api/notifications", null),
        Arguments.of("POST", "/api/notifications/read", "{\"upTo\":1}"),
        Arguments.of("GET", "/api/admin/mail", null),
        Arguments.of("POST", "/api/admin/mail/test", "{\"to\":\"a@b.example\"}"),
        Arguments.of("GET", "/api/webhooks", null),
        Arguments.of(
            "POST", "/api/webhooks", "{\"url\":\"https://example.com/\",\"events\":[\"*\"]}"),
        Arguments.of("PATCH", "/api/webhooks/1", "{\"enabled\":false}"),
        Arguments.of("DELETE", "/api/webhooks/1", null),
        Arguments.of("POST", "/api/webhooks/1/rotate-secret", null),
        Arguments.of("GET", "/api/webhooks/1/deliveries", null),
        Arguments.of("POST", "/api/webhooks/1/deliveries/1/redeliver", null),
        Arguments.of("POST", "/api/enroll", "{\"name\":\"nobody-device\"}"),
        Arguments.of("GET", "/api/audit", null),
        Arguments.of("GET", "/api/audit/export?format=jsonl", null));
  }

  private static RequestSpecification withBody(RequestSpecification spec, String body) {
    return body == null ? spec : spec.body(body);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endpoints")
  void withoutCredentialsIs401(String method, String path, String body) {
    expectProblem(
        401, null, withBody(anonymous(), body).request(method, path), method + " " + path);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endpoints")
  void withAnUnknownSessionCookieIs401(String method, String path, String body) {
    RequestSpecification spec =
        anonymous()
            .cookie(ApiClient.COOKIE, "no-such-session-0123456789abcdef")
            .header(ApiClient.CSRF_HEADER, "no-such-csrf-token");
    expectProblem(401, null, withBody(spec, body).request(method, path), method + " " + path);
  }

  @Test
  void anUnknownBearerTokenIs401() {
    String forged = "tat_0123456789ab_" + "A".repeat(43);
    expectProblem(
        401,
        null,
        anonymous().header("Authorization", "Bearer " + forged).get("/api/me"),
        "GET /api/me with a forged token");
  }

  @Test
  void aDeviceTokenIsNotAnApiToken() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice device = admin.createDevice(null);
    expectProblem(
        401,
        null,
        anonymous().header("Authorization", "Bearer " + device.token()).get("/api/me"),
        "GET /api/me with a device token as bearer");
  }

  @Test
  void aNonBearerAuthorizationSchemeIs401() {
    expectProblem(
        401,
        null,
        anonymous().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/api/me"),
        "GET /api/me with Basic auth");
  }
}
