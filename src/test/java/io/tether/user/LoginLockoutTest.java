package io.tether.user;

import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ten failed logins lock the (account, address) pair for the lockout duration (3 s in tests), even
 * against the right password, while the account still signs in from elsewhere.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class LoginLockoutTest {
  /** Well past the 3 s test lockout, short enough to fail fast. */
  private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(10);

  private static void failTenTimes(ApiClient.NewUser u, String address) {
    for (int i = 1; i <= 10; i++) {
      Response r = ApiClient.login(u.username(), "wrong-password-" + i, address);
      expectProblem(401, null, r, "failed login " + i + " of 10 from " + address);
    }
  }

  @Test
  void tenFailuresLockTheAccountFromThatAddressUntilTheLockEnds() {
    String attacker = "203.0.113.21";
    String elsewhere = "198.51.100.21";
    ApiClient.NewUser u = ApiClient.admin().createUser();
    failTenTimes(u, attacker);

    Response locked = ApiClient.login(u.username(), u.password(), attacker);
    JsonPath problem =
        expectProblem(429, null, locked, "11th login (right password) from " + attacker);
    assertTrue(
        problem.getString("detail").matches("(?s).*\\d.*"),
        "the 429 detail does not say how long to wait: " + problem.getString("detail"));
    String retryAfter = locked.getHeader("Retry-After");
    assertNotNull(retryAfter, "the 429 has no Retry-After header");
    long seconds = Long.parseLong(retryAfter.trim());
    assertTrue(seconds >= 1 && seconds <= 10, "Retry-After " + seconds + " for a 3 s lock");

    ApiClient.signIn(u.username(), u.password(), elsewhere);

    ApiClient.eventually(
        "the lock on " + u.username() + " from " + attacker + " to end",
        RELEASE_TIMEOUT,
        () -> ApiClient.login(u.username(), u.password(), attacker).statusCode() == 200);
  }

  @Test
  void aLockedPairDoesNotLockOtherAccountsFromTheSameAddress() {
    String address = "203.0.113.22";
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser victim = admin.createUser();
    ApiClient.NewUser neighbour = admin.createUser();
    failTenTimes(victim, address);
    expectProblem(
        429, null, ApiClient.login(victim.username(), victim.password(), address), "locked pair");
    ApiClient.signIn(neighbour.username(), neighbour.password(), address);
  }

  @Test
  void lockoutIsInTheAuditLog() {
    String address = "203.0.113.23";
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    failTenTimes(u, address);
    List<Map<String, Object>> entries = admin.audit(Map.of("action", "auth.lockout"));
    assertTrue(
        entries.stream()
            .anyMatch(
                e ->
                    address.equals(e.get("address"))
                        && (u.username().equals(e.get("actor"))
                            || u.username().equals(e.get("subject")))),
        "no auth.lockout entry for " + u.username() + " from " + address + " in " + entries);
  }
}
