package io.tether.ssh;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Users' SSH keys over REST: add, list, delete, admins' view, and what is refused. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SshKeyResourceTest {
  private static ApiClient newUser() {
    return ApiClient.signIn(ApiClient.admin().createUser());
  }

  private static io.restassured.response.Response add(ApiClient user, String key) {
    return user.cookie()
        .body(Map.of("name", ApiClient.unique("key"), "publicKey", key))
        .post("/api/me/ssh-keys");
  }

  @Test
  void anAddedKeyIsListedWithItsFingerprintThenDeleted() {
    ApiClient user = newUser();
    JsonPath created = expect(201, add(user, TestKeys.ED25519), "POST /api/me/ssh-keys").jsonPath();
    assertEquals(TestKeys.ED25519_FINGERPRINT, created.getString("fingerprint"));
    assertEquals("ssh-ed25519", created.getString("type"));
    String id = created.getString("id");

    List<Map<String, Object>> items =
        expect(200, user.cookie().get("/api/me/ssh-keys"), "GET").jsonPath().getList("items");
    assertEquals(1, items.size(), () -> "keys: " + items);
    assertEquals(TestKeys.ED25519_FINGERPRINT, items.get(0).get("fingerprint"));
    assertTrue(items.get(0).containsKey("lastUsedAt"), () -> "no lastUsedAt: " + items);

    expect(204, user.cookie().delete("/api/me/ssh-keys/" + id), "DELETE");
    assertEquals(
        0,
        expect(200, user.cookie().get("/api/me/ssh-keys"), "GET")
            .jsonPath()
            .getList("items")
            .size());
    JsonPath audit =
        expect(200, ApiClient.admin().cookie().get("/api/audit?action=ssh-key.delete"), "audit")
            .jsonPath();
    assertTrue(
        audit.getList("items.detail", String.class).stream()
            .anyMatch(d -> d.contains(TestKeys.ED25519_FINGERPRINT)),
        () -> "no ssh-key.delete audit entry: " + audit.prettify());
  }

  @Test
  void aKeyThatDoesNotParseIs400NamingPublicKey() {
    expectProblem(400, "publicKey", add(newUser(), "ssh-ed25519 nonsense"), "POST a bad key");
  }

  @Test
  void aKeyRegisteredByAnyoneIs409() {
    expect(201, add(newUser(), TestKeys.ECDSA), "first POST");
    expectProblem(409, "publicKey", add(newUser(), TestKeys.ECDSA), "the same key by another");
  }

  @Test
  void someoneElsesKeyCannotBeDeleted() {
    ApiClient owner = newUser();
    String id = expect(201, add(owner, TestKeys.RSA), "POST").jsonPath().getString("id");
    expectProblem(404, null, newUser().cookie().delete("/api/me/ssh-keys/" + id), "DELETE other");
    ApiClient admin = ApiClient.admin();
    List<Object> listed =
        expect(200, admin.cookie().get("/api/users/" + owner.userId() + "/ssh-keys"), "admin GET")
            .jsonPath()
            .getList("items.id");
    assertEquals(1, listed.size(), () -> "admin's list: " + listed);
    expect(
        204,
        admin.cookie().delete("/api/users/" + owner.userId() + "/ssh-keys/" + id),
        "admin DELETE");
  }
}
