package io.tether.api;

import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A boolean in a JSON body is true or false: a number or a string is 400 naming the field. */
@QuarkusTest
@WithTestResource(
    value = io.tether.testing.EmbeddedPostgresResource.class,
    scope = TestResourceScope.GLOBAL)
class StrictBooleansTest {
  /** Values Jackson would coerce to a boolean by default. */
  private static final List<Object> NOT_BOOLEANS = List.of(1, 0, 1.0, "true", "false", "1", "");

  @Test
  void aNumberOrStringIsNotABoolean_400NamingTheField() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    for (Object value : NOT_BOOLEANS) {
      String name = ApiClient.unique("strict");
      Map<String, Object> newUser = new HashMap<>();
      newUser.put("username", name);
      newUser.put("password", "long-enough-password");
      newUser.put("admin", value);
      expectProblem(
          400,
          "admin",
          admin.cookie().body(newUser).post("/api/users"),
          "POST /api/users with \"admin\": " + quoted(value));
      expectProblem(
          400,
          "disabled",
          admin.cookie().body(Map.of("disabled", value)).patch("/api/users/" + u.id()),
          "PATCH /api/users/{id} with \"disabled\": " + quoted(value));
    }
    assertFalse(
        ApiClient.signIn(u).me().getBoolean("admin"), "the user was made admin by a coercion");
  }

  private static String quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
