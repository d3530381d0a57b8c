package io.tether.access;

import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

/**
 * The browser session cookie: HttpOnly, SameSite=Strict, and Secure with the {@code __Host-} prefix
 * whenever the portal is reached over https.
 */
@ApplicationScoped
public class WebSessionCookie {
  public static final String PLAIN_NAME = "tether_session";
  public static final String HOST_NAME = "__Host-tether_session";

  private final boolean secure;

  @Inject
  public WebSessionCookie(TetherConfig config) {
    this.secure = config.publicUrl().map(u -> u.startsWith("https://")).orElse(false);
  }

  /** The cookie name for a request that arrived over https ({@code tls}) or not. */
  public String name(boolean tls) {
    return secure || tls ? HOST_NAME : PLAIN_NAME;
  }

  public NewCookie issue(String value, boolean tls) {
    return new NewCookie.Builder(name(tls))
        .value(value)
        .path("/")
        .httpOnly(true)
        .secure(secure || tls)
        .sameSite(NewCookie.SameSite.STRICT)
        .build();
  }

  public NewCookie clear(boolean tls) {
    return new NewCookie.Builder(name(tls))
        .value("")
        .path("/")
        .maxAge(0)
        .httpOnly(true)
        .secure(secure || tls)
        .sameSite(NewCookie.SameSite.STRICT)
        .build();
  }
}
