package io.tether.api;

import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

/** A signed-in user who is not an admin gets 403 on every admin endpoint, cookie or token. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class AdminOnlyEndpointsTest {
  /** One non-admin for the whole class; created on first use (the app is up by then). */
  private static ApiClient user;

  private static String userId;

  /** Another non-admin, the target of the user-changing attempts (never the real admin). */
  private static String victimId;

  private static synchronized ApiClient user() {
    if (user == null) {
      ApiClient admin = ApiClient.admin();
      ApiClient.NewUser created = admin.createUser();
      victimId = admin.createUser().id();
      user = ApiClient.signIn(created);
      userId = created.id();
    }
    return user;
  }

  private static String path(String template) {
    return template.replace("SELF", userId).replace("VICTIM", victimId);
  }

  /**
   * {0}=method, {1}=path ("SELF" is the caller's own id, "VICTIM" another user's), {2}=a body valid
   * for it.
   */
  static Stream<Arguments> adminEndpoints() {
    return Stream.of(
        Arguments.of("GET", "/api/users", null),
        Arguments.of(
            "POST",
            "/api/users",
            "{\"username\":\""
                + ApiClient.unique("u")
                + "\",\"password\":\"abcdefgh1\",\"admin\":true}"),
        Arguments.of("GET", "/api/users/SELF", null),
        Arguments.of("PATCH", "/api/users/SELF", "{\"admin\":true}"),
        Arguments.of("POST", "/api/users/SELF/password", "{\"password\":\"abcdefgh1\"}"),
        Arguments.of("PATCH", "/api/users/VICTIM", "{\"disabled\":true}"),
        Arguments.of("POST", "/api/users/VICTIM/password", "{\"password\":\"abcdefgh1\"}"),
        Arguments.of("DELETE", "/api/users/VICTIM", null),
        Arguments.of("GET", "/api/users/SELF/grants", null),
        Arguments.of(
            "POST", "/api/users/SELF/grants", "{\"group\":\"default\",\"role\":\"operator\"}"),
        Arguments.of("DELETE", "/api/users/VICTIM/grants/1", null),
        Arguments.of("GET", "/api/users/SELF/ssh-keys", null),
        Arguments.of("GET", "/api/users/VICTIM/ssh-keys", null),
        Arguments.of("DELETE", "/api/users/VICTIM/ssh-keys/1", null),
        Arguments.of("POST", "/api/groups", "{\"name\":\"" + ApiClient.unique("g") + "\"}"),
        Arguments.of("PATCH", "/api/groups/1", "{\"defaultTags\":[\"x\"]}"),
        Arguments.of("POST", "/api/devices", "{\"name\":\"" + ApiClient.unique("d") + "\"}"),
        Arguments.of("GET", "/api/enrollment-tokens", null),
        Arguments.of("POST", "/api/enrollment-tokens", "{\"group\":\"default\"}"),
        Arguments.of("DELETE", "/api/enrollment-tokens/1", null),
        Arguments.of("GET", "/api/users/VICTIM/email", null),
        Arguments.of("PUT", "/api/users/VICTIM/email", "{\"address\":\"a@b.example\"}"),
        Arguments.of("DELETE", "/api/users/VICTIM/email", null),
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
        Arguments.of("POST", "/api/devices/1/approve", null),
        Arguments.of("POST", "/api/devices/1/reject", null),
        Arguments.of("POST", "/api/devices/import?dryRun=true", "name\n" + ApiClient.unique("d")),
        Arguments.of("POST", "/api/devices/import?dryRun=false", "name\n" + ApiClient.unique("d")),
        Arguments.of("POST", "/api/devices/1/agent-upgrade", null),
        Arguments.of("GET", "/api/devices/1/agent-upgrade", null),
        Arguments.of("POST", "/api/groups/default/agent-upgrade", null),
        Arguments.of("GET", "/api/groups/default/console-rules", null),
        Arguments.of(
            "POST", "/api/groups/default/console-rules", "{\"name\":\"x\",\"pattern\":\"x\"}"),
        Arguments.of("DELETE", "/api/groups/default/console-rules/1", null));
  }

  private static RequestSpecification withBody(RequestSpecification spec, String body) {
    return body == null ? spec : spec.body(body);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("adminEndpoints")
  void nonAdminWithCookieIs403(String method, String path, String body) {
    ApiClient u = user();
    String p = path(path);
    expectProblem(403, null, withBody(u.cookie(), body).request(method, p), method + " " + p);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("adminEndpoints")
  void nonAdminWithTokenIs403(String method, String path, String body) {
    ApiClient u = user();
    String p = path(path);
    expectProblem(403, null, withBody(u.bearer(), body).request(method, p), method + " " + p);
  }

  @Test
  void nonAdminCannotMakeThemselvesAdmin() {
    ApiClient u = user();
    u.cookie().body("{\"admin\":true}").patch("/api/users/" + userId);
    assertFalse(
        ApiClient.signIn(u.username(), u.password()).me().getBoolean("admin"),
        "PATCH of one's own admin flag by a non-admin took effect");
  }
}
