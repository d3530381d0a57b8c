package io.tether.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void blockContainsItsAddressesOnly() {
    Cidr block = Cidr.parse("192.0.2.0/25");
    assertTrue(block.contains("192.0.2.1"));
    assertTrue(block.contains("192.0.2.127"));
    assertFalse(block.contains("192.0.2.128"));
  }

  @Test
  void singleAddressIsAFullLengthBlock() {
    assertTrue(Cidr.parse("127.0.0.1").contains("127.0.0.1"));
    assertFalse(Cidr.parse("127.0.0.1").contains("127.0.0.2"));
  }

  @Test
  void ipv6BlocksWork() {
    assertTrue(Cidr.parse("2001:db8::/32").contains("2001:db8:1::5"));
    assertFalse(Cidr.parse("2001:db8::/32").contains("192.0.2.1"));
  }

  @Test
  void rejectsHostNames() {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/24"));
  }

  @Test
  void rejectsPrefixLongerThanTheAddress() {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("192.0.2.0/33"));
  }

  @Test
  void neverResolvesNamesWhenTesting() {
    assertFalse(Cidr.parse("0.0.0.0/0").contains("localhost"));
  }

  @Test
  void acceptsIpv4AndIpv6LiteralsOnly() {
    for (String literal :
        new String[] {
          "192.0.2.1",
          "192.0.2.0/24",
          "0.0.0.0/0",
          "2001:db8::1",
          "2001:db8::/32",
          "::1",
          "::/0",
          "2001:0db8:0000:0000:0000:0000:0000:0001",
          "::ffff:192.0.2.1"
        }) {
      Cidr.parse(literal);
    }
    assertTrue(Cidr.parse("2001:0db8::/32").contains("2001:db8:0:0:0:0:0:1"));
  }

  @Test
  void refusesHostNamesThatLookLikeHex_withAClearError() {
    for (String name : new String[] {"cafe.de", "dead.beef", "cafe.de/24", "dead.beef/32"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Cidr.parse(name), name);
      assertTrue(e.getMessage().contains("host names are not resolved"), e.getMessage());
    }
    assertFalse(Cidr.parse("0.0.0.0/0").contains("cafe.de"));
    assertFalse(Cidr.parse("::/0").contains("dead.beef"));
  }

  @Test
  void refusesAmbiguousIpv4Forms() {
    for (String odd :
        new String[] {"1.2.3", "1", "010.0.0.1", "1.2.3.4.5", "256.0.0.1", "0x7f.0.0.1"}) {
      assertThrows(IllegalArgumentException.class, () -> Cidr.parse(odd), odd);
    }
  }
}
