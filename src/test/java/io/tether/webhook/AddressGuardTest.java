package io.tether.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.net.Cidr;
import io.tether.net.IpLiteral;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {
  /** This host's addresses: 192.0.2.7 stands for one of the portal's listeners. */
  private static final AddressGuard DEFAULT =
      new AddressGuard(List.of(), false, a -> a.getHostAddress().equals("192.0.2.7"));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "169.254.169.254",
        "fe80::1",
        "0.0.0.0",
        "0.1.2.3",
        "224.0.0.1",
        "ff02::1",
        "255.255.255.255",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "192.0.2.7"
      })
  void refusesLoopbackLinkLocalThisNetworkMulticastAndTheHostsOwnAddresses(String ip) {
    assertTrue(DEFAULT.refusal(IpLiteral.parse(ip)).isPresent(), ip + " must be refused");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.2.3", "172.16.0.1", "192.168.1.10", "100.64.0.1", "fd00::1"})
  void allowsPrivateRangesByDefaultButNotWhenDenied(String ip) {
    assertEquals(Optional.empty(), DEFAULT.refusal(IpLiteral.parse(ip)));
    AddressGuard strict = new AddressGuard(List.of(), true, a -> false);
    assertTrue(strict.refusal(IpLiteral.parse(ip)).isPresent(), ip + " must be refused");
  }

  @Test
  void allowsPublicAddresses() {
    assertEquals(Optional.empty(), DEFAULT.refusal(IpLiteral.parse("93.184.216.34")));
    assertEquals(Optional.empty(), DEFAULT.refusal(IpLiteral.parse("2606:2800:220:1::1")));
  }

  @Test
  void theAllowListLetsANamedRefusedBlockThroughAndNothingElse() {
    AddressGuard allowing =
        new AddressGuard(List.of(Cidr.parse("127.0.0.1/32")), false, a -> false);
    assertEquals(Optional.empty(), allowing.refusal(IpLiteral.parse("127.0.0.1")));
    assertTrue(allowing.refusal(IpLiteral.parse("127.0.0.2")).isPresent());
    assertTrue(allowing.refusal(IpLiteral.parse("169.254.169.254")).isPresent());
  }

  @Test
  void theRefusalSaysWhyAndWhatToSet() {
    String why = DEFAULT.refusal(IpLiteral.parse("169.254.169.254")).orElseThrow();
    assertTrue(why.contains("link-local") && why.contains("TETHER_WEBHOOK_ALLOW"), why);
  }
}
