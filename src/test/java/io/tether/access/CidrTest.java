package io.tether.access;

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
}
