package io.tether.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

/** Problem JSON checks for HTTP answers seen from outside the portal. */
final class HttpAssert {
  private HttpAssert() {}

  /** The answer is {@code status} with a problem naming {@code field}. */
  static void field(HttpResponse<String> r, int status, String field) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        true,
        r.body().contains("\"field\":\"" + field + "\""),
        "the problem names the field " + field + ": " + r.body());
  }
}
