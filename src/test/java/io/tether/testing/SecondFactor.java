package io.tether.testing;

import static io.tether.testing.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;

/** The TOTP second factor through the REST API, as the web UI drives it. */
public final class SecondFactor {
  private SecondFactor() {}

  /** An enrolled factor: the app that computes its codes and the recovery codes shown once. */
  public record Enrolled(TotpApp app, List<String> recoveryCodes) {}

  /** Enrols and confirms a TOTP factor for the signed-in client. */
  public static Enrolled enrol(ApiClient client) {
    JsonPath e = expect(200, client.cookie().post("/api/me/totp"), "POST /api/me/totp").jsonPath();
    TotpApp app = new TotpApp(e.getString("secret"));
    JsonPath c =
        expect(
                200,
                client.cookie().body(Map.of("code", app.nextCode())).post("/api/me/totp/confirm"),
                "POST /api/me/totp/confirm")
            .jsonPath();
    return new Enrolled(app, c.getList("recoveryCodes"));
  }

  /**
   * The password step of a user with a factor: fails unless it answers 200 "second factor required"
   * without a cookie; the pending token.
   */
  public static String passwordStep(String username, String password, String address) {
    Response r = ApiClient.login(username, password, address);
    JsonPath j = expect(200, r, "password step of " + username).jsonPath();
    assertEquals("required", j.getString("secondFactor"), () -> "login answer: " + r.asString());
    assertNull(r.getCookie(ApiClient.COOKIE), "the password step set a session cookie");
    return j.getString("pendingToken");
  }

  /** POST /api/auth/login/second-factor with a TOTP code (field "code") or a recovery code. */
  public static Response secondStep(String pendingToken, String field, String value, String from) {
    return ApiClient.anonymousFrom(from)
        .body(Map.of("pendingToken", pendingToken, field, value))
        .post("/api/auth/login/second-factor");
  }

  /** Signs in with the password and the app's next code; fails unless both steps succeed. */
  public static ApiClient signIn(String username, String password, TotpApp app) {
    String address = ApiClient.randomAddress();
    String pending = passwordStep(username, password, address);
    return ApiClient.signedIn(
        username, password, address, secondStep(pending, "code", app.nextCode(), address));
  }
}
