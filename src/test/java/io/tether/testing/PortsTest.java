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

  /** Else any outgoing connection of any process could take it before the process under test. */
  @Test
  void portsAreBelowTheKernelsEphemeralRange() throws Exception {
    int ephemeralFrom =
        Integer.parseInt(
            java.nio.file.Files.readAllLines( // readString reads one byte of a /proc file
                    java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0)
                .trim()
                .split("\\s+")[0]);
    for (int i = 0; i < 200; i++) {
      int port = Ports.free();
      assertTrue(port > 1024 && port < ephemeralFrom, () -> port + " is in the ephemeral range");
    }
  }
}
