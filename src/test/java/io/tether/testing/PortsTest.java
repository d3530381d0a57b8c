package io.tether.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void aPortIsNeverHandedOutTwice() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      int port = Ports.free();
      assertTrue(seen.add(port), "port " + port + " handed out twice");
    }
  }
}
