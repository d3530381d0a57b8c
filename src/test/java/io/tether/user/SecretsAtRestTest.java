package io.tether.user;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Passwords, API tokens, device tokens and session ids are stored only as hashes. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SecretsAtRestTest {
  /** Every table that holds credentials or could leak them in a detail. */
  private static final List<String> TABLES =
      List.of("users", "api_tokens", "device_credentials", "web_sessions", "audit_events");

  @Inject AgroalDataSource dataSource;

  /** The whole table as text, bytea columns as \x hex. */
  private String dump(String table) throws SQLException {
    StringBuilder all = new StringBuilder();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("select t::text from " + table + " t")) {
      while (rows.next()) {
        all.append(rows.getString(1)).append('\n');
      }
    }
    return all.toString();
  }

  /** prefix_lookup_secret: the secret itself may contain '_' (base64url), so split only twice. */
  private static String secretPart(String token) {
    return token.split("_", 3)[2];
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void noPlainSecretIsStoredInAnyCredentialTable() throws SQLException {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient user = ApiClient.signIn(u);
    ApiClient.NewToken apiToken = user.createToken(ApiClient.unique("tok"), null);
    ApiClient.NewDevice device = admin.createDevice(null);

    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("password", u.password());
    secrets.put("API token", apiToken.token());
    secrets.put("API token secret", secretPart(apiToken.token()));
    secrets.put("device token", device.token());
    secrets.put("device token secret", secretPart(device.token()));
    secrets.put("session cookie", user.sessionCookie());

    assertTrue(dump("users").contains(u.username()), "the table dump does not see the new user");
    for (String table : TABLES) {
      String rows = dump(table);
      for (Map.Entry<String, String> secret : secrets.entrySet()) {
        String plain = secret.getValue();
        assertTrue(
            !rows.contains(plain) && !rows.contains(hex(plain)),
            "the plain " + secret.getKey() + " is stored in table " + table);
      }
    }
  }
}
