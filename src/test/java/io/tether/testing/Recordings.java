package io.tether.testing;

import java.time.Duration;
import java.util.Map;

/** A session's recording as its exports show it, for tests that wait on what was recorded. */
public final class Recordings {
  private Recordings() {}

  /** The session's asciicast export as text (the admin may replay everything). */
  public static String cast(String baseUrl, PortalApi admin, long sessionId) {
    return PortalApi.send(
            baseUrl,
            "GET",
            "/api/sessions/" + sessionId + "/recording?format=cast",
            null,
            Map.of("Cookie", admin.cookie(), "Accept", "*/*"))
        .body();
  }

  /**
   * Waits until the cast has a resize to {@code size} ({@code COLSxROWS}): the session's size was
   * recorded. Fails with the cast as it was.
   */
  public static void awaitResize(
      String baseUrl, PortalApi admin, long sessionId, String size, Duration timeout) {
    String[] cast = {""};
    try {
      Await.until(
          "the recording's cast to resize to " + size,
          timeout,
          () -> {
            cast[0] = cast(baseUrl, admin, sessionId);
            return cast[0].contains("\"r\", \"" + size + "\"");
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the cast: " + cast[0], e);
    }
  }
}
