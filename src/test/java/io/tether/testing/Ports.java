package io.tether.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for processes under test, below the kernel's ephemeral range: a port handed
 * out of that range could be taken by any outgoing connection (of the tests, the portals, their
 * PostgreSQL) before the process under test binds it ("Unable to start the management interface on
 * 127.0.0.1:44275", CI of stop 38). A port once given out is never given again in this JVM: two
 * settings of one portal never share a port.
 */
public final class Ports {
  private static final int ATTEMPTS = 100;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private Ports() {}

  public static synchronized int free() {
    java.util.Random random = new java.util.Random();
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = BLOCK_FROM + random.nextInt(BLOCK_TO - BLOCK_FROM);
      if (!GIVEN.contains(port) && bindable(port, LOOPBACK)) {
        GIVEN.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no unused loopback port in " + ATTEMPTS + " attempts");
  }

  private static final java.util.List<String> LOOPBACK = java.util.List.of("127.0.0.1");

  /**
   * {@code n} consecutive ports, below the kernel's ephemeral range (so no outgoing connection
   * takes one meanwhile), that every address in {@code hosts} can bind now and that were never
   * given out before: a port range for a portal setting (TETHER_LINK_PORTS) and a balancer.
   */
  public static synchronized String block(int n, java.util.List<String> hosts) {
    java.util.Random random = new java.util.Random();
    for (int i = 0; i < ATTEMPTS; i++) {
      int first = BLOCK_FROM + random.nextInt(BLOCK_TO - BLOCK_FROM - n);
      boolean usable = true;
      for (int port = first; port < first + n && usable; port++) {
        usable = !GIVEN.contains(port) && bindable(port, hosts);
      }
      if (usable) {
        for (int port = first; port < first + n; port++) {
          GIVEN.add(port);
        }
        return first + "-" + (first + n - 1);
      }
    }
    throw new IllegalStateException(
        "no " + n + " free consecutive ports in " + ATTEMPTS + " tries");
  }

  /** Where ports are taken from: above the privileged and well-known, below the ephemeral. */
  private static final int BLOCK_FROM = 22000;

  private static final int BLOCK_TO = 32000;

  private static boolean bindable(int port, java.util.List<String> hosts) {
    for (String host : hosts) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
