package io.tether.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

/**
 * Browser sessions end after the idle timeout and after the absolute lifetime (configured 30 min
 * and 12 h by default; the test moves the session's clock columns instead of waiting).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SessionTimeoutTest {
  @Inject EntityManager em;

  private int me(ApiClient client) {
    return client.cookie().get("/api/me").statusCode();
  }

  private void age(ApiClient client, String column, String interval) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "update web_sessions set "
                            + column
                            + " = now() - cast(:age as interval)"
                            + " where user_id = (select id from users where username = :u)")
                    .setParameter("age", interval)
                    .setParameter("u", client.username())
                    .executeUpdate());
  }

  @Test
  void sessionIdleLongerThanTheIdleTimeoutIsRefused() {
    ApiClient admin = ApiClient.admin();
    ApiClient user = ApiClient.signIn(admin.createUser());
    assertEquals(200, me(user));
    age(user, "last_seen_at", "31 minutes");
    assertEquals(401, me(user), "an idle session must end after 30 minutes");
  }

  @Test
  void sessionPastItsAbsoluteLifetimeIsRefusedEvenWhenActive() {
    ApiClient admin = ApiClient.admin();
    ApiClient user = ApiClient.signIn(admin.createUser());
    age(user, "expires_at", "1 second");
    assertEquals(401, me(user), "a session must end at its absolute expiry");
  }

  @Test
  void activityWithinTheIdleTimeoutKeepsTheSession() {
    ApiClient admin = ApiClient.admin();
    ApiClient user = ApiClient.signIn(admin.createUser());
    age(user, "last_seen_at", "29 minutes");
    assertEquals(200, me(user));
    assertEquals(200, me(user), "the request above must have refreshed last-seen");
  }
}
