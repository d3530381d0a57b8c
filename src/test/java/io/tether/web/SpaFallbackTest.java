package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which requests get the app's index.html: page navigations to app paths, nothing else. */
class SpaFallbackTest {
  private static final String HTML = "text/html,application/xhtml+xml,*/*;q=0.8";

  @Test
  void deepLinksOfTheAppGetIndexHtml() {
    assertTrue(SpaFallback.wantsApp("GET", "/", HTML));
    assertTrue(SpaFallback.wantsApp("GET", "/devices/42", HTML));
    assertTrue(SpaFallback.wantsApp("HEAD", "/admin/users/7", HTML));
    assertTrue(SpaFallback.wantsApp("GET", "/sign-in", HTML));
  }

  @Test
  void apiHealthAndTunnelPathsNeverGetTheApp() {
    assertFalse(SpaFallback.wantsApp("GET", "/api", HTML));
    assertFalse(SpaFallback.wantsApp("GET", "/api/devices/42", HTML));
    assertFalse(SpaFallback.wantsApp("GET", "/q/health/ready", HTML));
    assertFalse(SpaFallback.wantsApp("GET", "/tunnel", HTML));
    assertFalse(SpaFallback.wantsApp("GET", "/tunnel/x", HTML));
  }

  @Test
  void filesAndNonPageRequestsAreLeftToOtherHandlers() {
    assertFalse(SpaFallback.wantsApp("GET", "/assets/index-abc.js", HTML));
    assertFalse(SpaFallback.wantsApp("GET", "/favicon.ico", HTML));
    assertFalse(SpaFallback.wantsApp("GET", "/devices/42", "application/json"));
    assertFalse(SpaFallback.wantsApp("GET", "/devices/42", null));
    assertFalse(SpaFallback.wantsApp("POST", "/devices/42", HTML));
  }

  @Test
  void aPathThatOnlyStartsLikeAReservedPrefixIsStillTheApp() {
    assertTrue(SpaFallback.wantsApp("GET", "/apiary", HTML));
    assertTrue(SpaFallback.wantsApp("GET", "/tunnels-help", HTML));
  }
}
