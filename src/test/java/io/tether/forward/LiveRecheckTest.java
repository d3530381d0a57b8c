package io.tether.forward;

import static io.tether.testing.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.access.Authenticator;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Live sockets re-check with the principal as it is now, never the snapshot taken when the socket
 * opened: a dropped admin flag or an ended credential counts on the next check.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class LiveRecheckTest {
  @Inject Authenticator authenticator;
  @Inject ForwardCheck check;

  /** An admin user's principal as a socket would have captured it, through an API token. */
  private Principal adminSnapshot(ApiClient.NewUser u) {
    String token = ApiClient.signIn(u).createToken(ApiClient.unique("tok"), null).token();
    Principal p = authenticator.authenticate("Bearer " + token, null).orElseThrow();
    assertTrue(p.admin(), "the snapshot is an admin's");
    return p;
  }

  private static void demote(ApiClient admin, ApiClient.NewUser u) {
    expect(
        200,
        admin.cookie().body(Map.of("admin", false)).patch("/api/users/" + u.id()),
        "PATCH admin=false");
  }

  @Test
  void theCurrentPrincipalCarriesTheAdminFlagAsItIsNow() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser(true);
    Principal snapshot = adminSnapshot(u);
    demote(admin, u);
    Principal now = authenticator.current(snapshot).orElseThrow();
    assertFalse(now.admin(), "the principal read after the demotion is not an admin");
  }

  @Test
  void aChannelOpenOnADemotedAdminsSocketIsRefusedForADeviceOutsideTheirGrants() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser(true);
    long device = Long.parseLong(admin.createDevice(admin.createGroup()).id());
    Principal snapshot = adminSnapshot(u);
    demote(admin, u);
    ApiException refused =
        assertThrows(ApiException.class, () -> check.recheck(snapshot, device, null));
    // 404 is the policy's "not yours"; the snapshot would have passed it and met "offline" (409)
    assertEquals(404, refused.status(), "the re-check's refusal: " + refused.getMessage());
    assertEquals(Boolean.FALSE, check.stillAllowed(snapshot, device), "stillAllowed");
  }

  @Test
  void aRevokedTokensSocketHasNoCurrentPrincipal() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient user = ApiClient.signIn(u);
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    Principal snapshot = authenticator.authenticate("Bearer " + token.token(), null).orElseThrow();
    expect(204, user.cookie().delete("/api/tokens/" + token.id()), "DELETE the token");
    assertTrue(authenticator.current(snapshot).isEmpty(), "no principal behind a revoked token");
    assertEquals(null, check.stillAllowed(snapshot, 1L), "stillAllowed says: close the socket");
  }
}
