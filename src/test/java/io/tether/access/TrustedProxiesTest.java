package io.tether.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies proxies = new TrustedProxies(List.of("127.0.0.1", "10.0.0.0/8"));

  @Test
  void aTrustedProxySayingHttpsMakesTheRequestHttps() {
    assertTrue(proxies.forwardedHttps("127.0.0.1", "https"));
    assertTrue(proxies.forwardedHttps("10.1.2.3", "HTTPS"));
  }

  @Test
  void xForwardedProtoFromAnUntrustedPeerIsIgnored() {
    assertFalse(proxies.forwardedHttps("192.0.2.7", "https"), "a client's own header");
    assertFalse(new TrustedProxies(List.of()).forwardedHttps("127.0.0.1", "https"), "none set");
  }

  @Test
  void onlyTheNearestProxysValueCounts() {
    // a client sent "https" to a proxy that appends what it saw: plain http
    assertFalse(proxies.forwardedHttps("127.0.0.1", "https, http"));
    assertTrue(proxies.forwardedHttps("127.0.0.1", "http, https"));
  }

  @Test
  void aTrustedProxySayingHttpOrNothingLeavesItHttp() {
    assertFalse(proxies.forwardedHttps("127.0.0.1", "http"));
    assertFalse(proxies.forwardedHttps("127.0.0.1", null));
    assertFalse(proxies.forwardedHttps(null, "https"));
  }
}
