package io.tether.oidc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.TestOidcProvider;
import io.tether.testing.TestOidcProvider.Login;
import io.tether.web.BrowserDialogue;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deployment with password sign-in off from its first start ({@code
 * TETHER_PASSWORD_LOGIN=false}), in Chromium: the sign-in page says so beside the provider's
 * button; a local user's right password is refused with the reason on the page (and audited); the
 * first admin, break-glass from the first start, still signs in with the password, so no deployment
 * begins locked out; single sign-on signs in.
 */
class PasswordSignInOffIT {
  static final TestOidcProvider idp = TestOidcProvider.start("tether", "s3cret", "corp");

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "password-off",
          Map.of(
              "TETHER_PASSWORD_LOGIN", "false",
              "TETHER_OIDC_PROVIDERS", "corp",
              "TETHER_OIDC_CORP_ISSUER", idp.issuer("corp"),
              "TETHER_OIDC_CORP_CLIENT_ID", "tether",
              "TETHER_OIDC_CORP_CLIENT_SECRET", "s3cret",
              "TETHER_OIDC_CORP_DISPLAY_NAME", "Corp SSO",
              "TETHER_OIDC_CORP_AUTO_CREATE", "true"));

  @AfterAll
  static void stopProvider() {
    idp.close();
  }

  @Test
  void onlyTheBreakGlassAdminAndSingleSignOnSignIn() {
    PortalApi admin = portal.admin(); // signs in with the password: the first admin is break-glass
    assertFalse(
        admin.get("/api/auth/providers").get("passwordLogin").asBoolean(),
        "the providers say password sign-in is off");
    String local = PortalApi.unique("ann");
    admin.post("/api/users", Map.of("username", local, "password", "pw-" + local, "admin", false));
    idp.next("corp", Login.of(PortalApi.unique("sub"), Map.of("preferred_username", "sso-ann")));

    BrowserDialogue.run(
        "sso.mjs",
        "passwordOff",
        Map.of(
            "TETHER_URL",
            portal.baseUrl(),
            "SSO_DISPLAY_NAME",
            "Corp SSO",
            "LOCAL_USER",
            local,
            "LOCAL_PASSWORD",
            "pw-" + local,
            "ADMIN_PASSWORD",
            PortalProcess.ADMIN_PASSWORD),
        Map.of(),
        Duration.ofSeconds(90));

    JsonNode refusals = admin.get("/api/audit?action=auth.login&limit=200");
    assertTrue(
        StreamSupport.stream(refusals.get("items").spliterator(), false)
            .anyMatch(
                e ->
                    e.path("subject").asText().equals(local)
                        && e.path("outcome").asText().equals("denied")
                        && e.path("detail")
                            .asText()
                            .equals("password sign-in is off for this account")),
        "the local user's refused password sign-in is audited");
  }
}
