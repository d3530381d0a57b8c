package io.tether.access;

import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the Origin of browser WebSocket upgrades against the portal's own origin, so a page on
 * another site cannot ride the user's cookie into a terminal (cross-site WebSocket hijacking).
 */
@ApplicationScoped
public class OriginPolicy {
  private final Optional<String> publicOrigin;

  @Inject
  public OriginPolicy(TetherConfig config) {
    this.publicOrigin = config.publicUrl().filter(u -> !u.isBlank()).map(OriginPolicy::originOf);
  }

  /**
   * True when {@code origin} is the portal's origin: TETHER_PUBLIC_URL's when set, otherwise the
   * scheme and Host of this very request.
   */
  public boolean allows(String origin, boolean tls, String host) {
    if (origin == null || origin.isBlank()) {
      return false;
    }
    String expected = publicOrigin.orElseGet(() -> (tls ? "https://" : "http://") + host);
    return origin.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
  }

  /** The origin (scheme, host, port unless the default) of a URL. */
  public static String originOf(String url) {
    URI uri = URI.create(url);
    String origin = uri.getScheme() + "://" + uri.getHost();
    boolean defaultPort =
        uri.getPort() == -1
            || (uri.getScheme().equals("http") && uri.getPort() == 80)
            || (uri.getScheme().equals("https") && uri.getPort() == 443);
    return defaultPort ? origin : origin + ":" + uri.getPort();
  }
}
