package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TETHER_OIDC_* family: parsed per provider, every mistake one line naming its variable. */
class OidcProviderSettingsTest {
  private static Map<String, String> corp() {
    Map<String, String> env = new HashMap<>();
    env.put("TETHER_OIDC_PROVIDERS", "corp");
    env.put("TETHER_OIDC_CORP_ISSUER", "https://idp.example.com/realms/corp");
    env.put("TETHER_OIDC_CORP_CLIENT_ID", "tether");
    env.put("TETHER_OIDC_CORP_CLIENT_SECRET", "s3cret");
    return env;
  }

  private static SettingException refused(Map<String, String> env) {
    return assertThrows(SettingException.class, () -> OidcProviderSettings.fromEnvironment(env));
  }

  @Test
  void noProvidersWithoutTheList() {
    assertEquals(List.of(), OidcProviderSettings.fromEnvironment(Map.of()));
  }

  @Test
  void aProviderHasItsDefaults() {
    OidcProviderSettings p = OidcProviderSettings.fromEnvironment(corp()).get(0);
    assertEquals("corp", p.name());
    assertEquals("corp", p.displayName());
    assertEquals(List.of("openid", "profile", "email"), p.scopes());
    assertFalse(p.autoCreate(), "just-in-time accounts are off by default");
    assertEquals("preferred_username", p.usernameClaim());
    assertEquals(Optional.empty(), p.groupsClaim());
    assertEquals(
        Optional.empty(), p.adminGroup(), "the admin flag never comes from a claim unasked");
    assertEquals(Set.of(), p.mfaAmr());
    assertEquals(Duration.ofDays(30), p.tokenLifetime());
    assertFalse(p.toString().contains("s3cret"), "the secret is never printed");
  }

  @Test
  void everySettingIsRead(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "from-file\n");
    Map<String, String> env = corp();
    env.remove("TETHER_OIDC_CORP_CLIENT_SECRET");
    env.put("TETHER_OIDC_PROVIDERS", "Corp, lab");
    env.put("TETHER_OIDC_CORP_CLIENT_SECRET_FILE", secret.toString());
    env.put("TETHER_OIDC_CORP_DISPLAY_NAME", "Corp SSO");
    env.put("TETHER_OIDC_CORP_SCOPES", "openid groups");
    env.put("TETHER_OIDC_CORP_GROUPS_CLAIM", "groups");
    env.put("TETHER_OIDC_CORP_ADMIN_GROUP", "tether-admins");
    env.put("TETHER_OIDC_CORP_AUTO_CREATE", "true");
    env.put("TETHER_OIDC_CORP_USERNAME_CLAIM", "email");
    env.put("TETHER_OIDC_CORP_MFA_AMR", "mfa, hwk");
    env.put("TETHER_OIDC_CORP_TOKEN_LIFETIME", "7d");
    env.put("TETHER_OIDC_LAB_ISSUER", "http://127.0.0.1:9999/lab");
    env.put("TETHER_OIDC_LAB_CLIENT_ID", "tether-lab");
    List<OidcProviderSettings> all = OidcProviderSettings.fromEnvironment(env);
    assertEquals(List.of("corp", "lab"), all.stream().map(OidcProviderSettings::name).toList());
    OidcProviderSettings p = all.get(0);
    assertEquals(Optional.of("from-file"), p.clientSecret());
    assertEquals("Corp SSO", p.displayName());
    assertEquals(List.of("openid", "groups"), p.scopes());
    assertEquals(Optional.of("groups"), p.groupsClaim());
    assertEquals(Optional.of("tether-admins"), p.adminGroup());
    assertTrue(p.autoCreate());
    assertEquals("email", p.usernameClaim());
    assertEquals(Set.of("mfa", "hwk"), p.mfaAmr());
    assertEquals(Duration.ofDays(7), p.tokenLifetime());
    assertEquals(Optional.empty(), all.get(1).clientSecret(), "a public client (PKCE alone)");
  }

  @Test
  void aMissingIssuerNamesItsVariable() {
    Map<String, String> env = corp();
    env.remove("TETHER_OIDC_CORP_ISSUER");
    assertEquals("TETHER_OIDC_CORP_ISSUER", refused(env).variable());
  }

  @Test
  void multiTenantIssuersAreRefused() {
    for (String tenant : List.of("common", "organizations", "consumers")) {
      Map<String, String> env = corp();
      env.put("TETHER_OIDC_CORP_ISSUER", "https://login.microsoftonline.com/" + tenant + "/v2.0");
      SettingException e = refused(env);
      assertEquals("TETHER_OIDC_CORP_ISSUER", e.variable());
      assertTrue(e.getMessage().contains("multi-tenant"), e.getMessage());
    }
  }

  @Test
  void plainHttpIssuersAreRefusedOffLoopback() {
    Map<String, String> env = corp();
    env.put("TETHER_OIDC_CORP_ISSUER", "http://idp.example.com/corp");
    assertEquals("TETHER_OIDC_CORP_ISSUER", refused(env).variable());
  }

  @Test
  void aTypoInAProvidersVariableIsRefused() {
    Map<String, String> env = corp();
    env.put("TETHER_OIDC_CORP_ISSUR", "x");
    assertEquals("TETHER_OIDC_CORP_ISSUR", refused(env).variable());
  }

  @Test
  void aVariableOfAnUnlistedProviderIsRefused() {
    Map<String, String> env = corp();
    env.put("TETHER_OIDC_LAB_ISSUER", "https://idp.example.com/lab");
    assertEquals("TETHER_OIDC_LAB_ISSUER", refused(env).variable());
  }

  @Test
  void aSecretAndASecretFileTogetherAreRefused() {
    Map<String, String> env = corp();
    env.put("TETHER_OIDC_CORP_CLIENT_SECRET_FILE", "/etc/tether/secret");
    assertEquals("TETHER_OIDC_CORP_CLIENT_SECRET_FILE", refused(env).variable());
  }

  @Test
  void badNamesValuesAndCombinationsAreRefused() {
    Map<String, String> env = corp();
    env.put("TETHER_OIDC_PROVIDERS", "corp,corp");
    assertEquals("TETHER_OIDC_PROVIDERS", refused(env).variable());
    env.put("TETHER_OIDC_PROVIDERS", "my-idp");
    assertEquals("TETHER_OIDC_PROVIDERS", refused(env).variable());
    env = corp();
    env.put("TETHER_OIDC_CORP_SCOPES", "profile email");
    assertEquals("TETHER_OIDC_CORP_SCOPES", refused(env).variable());
    env = corp();
    env.put("TETHER_OIDC_CORP_AUTO_CREATE", "yes");
    assertEquals("TETHER_OIDC_CORP_AUTO_CREATE", refused(env).variable());
    env = corp();
    env.put("TETHER_OIDC_CORP_ADMIN_GROUP", "admins");
    assertEquals("TETHER_OIDC_CORP_ADMIN_GROUP", refused(env).variable(), "needs a groups claim");
    env = corp();
    env.put("TETHER_OIDC_CORP_TOKEN_LIFETIME", "forever");
    assertEquals("TETHER_OIDC_CORP_TOKEN_LIFETIME", refused(env).variable());
  }

  @Test
  void bootChecksTheFamily() {
    Map<String, String> env = corp();
    env.put("TETHER_DATA_DIR", System.getProperty("java.io.tmpdir") + "/tether-oidc-settings");
    env.remove("TETHER_OIDC_CORP_CLIENT_ID");
    SettingException e =
        assertThrows(SettingException.class, () -> BootSettings.fromEnvironment(env));
    assertEquals("TETHER_OIDC_CORP_CLIENT_ID", e.variable());
  }
}
