package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** TETHER_WEB_DOMAIN shares no origin, parent, child or registrable domain with the portal. */
class WebDomainTest {
  private static final Optional<String> PORTAL = Optional.of("https://tether.example.com");

  private static String refusal(String web, Optional<String> portal, boolean loopback) {
    return assertThrows(SettingException.class, () -> WebDomain.check(web, portal, loopback))
        .getMessage();
  }

  @Test
  void refusesThePortalsOwnHost() {
    assertTrue(refusal("tether.example.com", PORTAL, false).contains("portal's own host"));
  }

  @Test
  void refusesAParentOfThePortalsHost() {
    assertTrue(refusal("example.com", PORTAL, false).contains("parent"));
  }

  @Test
  void refusesAChildOfThePortalsHost() {
    assertTrue(refusal("web.tether.example.com", PORTAL, false).contains("below"));
  }

  @Test
  void refusesASiblingUnderTheSameRegistrableDomain() {
    assertTrue(refusal("devices.example.com", PORTAL, false).contains("registrable domain"));
    assertTrue(
        refusal("devices.shop.co.uk", Optional.of("https://portal.shop.co.uk"), false)
            .contains("shop.co.uk"));
  }

  @Test
  void refusesPlainHttpUnlessTheLoopbackTestSwitchAndLocalhost() {
    assertTrue(refusal("http://devices.example.net", PORTAL, false).contains("HTTPS"));
    assertTrue(refusal("http://devices.example.net", PORTAL, true).contains("HTTPS"));
    WebDomain ok = WebDomain.check("http://web.localhost:8080", PORTAL, true);
    assertEquals("http://d-x.web.localhost:8080", ok.origin("d-x"));
  }

  @Test
  void refusesAPathAnAddressOrNoPortalUrl() {
    assertTrue(refusal("https://devices.example.net/x", PORTAL, false).contains("no path"));
    assertTrue(refusal("10.0.0.1", PORTAL, false).contains("not an IP"));
    assertTrue(
        refusal("devices.example.net", Optional.empty(), false).contains("TETHER_PUBLIC_URL"));
  }

  @Test
  void aDomainOfItsOwnServesDevicePagesOverHttps() {
    WebDomain web = WebDomain.check("devices.example.net", PORTAL, false);
    assertEquals("https://d-abc.devices.example.net", web.origin("d-abc"));
    assertEquals(Optional.of("d-abc"), web.labelOf("D-ABC.devices.example.net:443"));
    assertEquals(Optional.of(""), web.labelOf("devices.example.net"), "the bare domain: 421");
    assertEquals(Optional.of(""), web.labelOf("a.d-abc.devices.example.net"), "deeper: 421");
    assertEquals(Optional.empty(), web.labelOf("tether.example.com"), "the portal's own");
  }

  @Test
  void theBootCheckStopsTheStartNamingTheVariable() {
    SettingException e =
        assertThrows(
            SettingException.class,
            () ->
                BootSettings.fromEnvironment(
                    Map.of(
                        "TETHER_PUBLIC_URL", "https://tether.example.com",
                        "TETHER_WEB_DOMAIN", "example.com")));
    assertTrue(e.getMessage().contains("TETHER_WEB_DOMAIN"), e.getMessage());
  }
}
