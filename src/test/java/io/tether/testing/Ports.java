package io.tether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for processes under test. The kernel may hand the same ephemeral port to two
 * probes in a row (the first was closed before the second asked), so a port once given out is never
 * given again in this JVM: two settings of one portal never share a port.
 */
public final class Ports {
  private static final int ATTEMPTS = 100;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private Ports() {}

  public static synchronized int free() {
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = probe();
      if (GIVEN.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no unused loopback port in " + ATTEMPTS + " attempts");
  }

  private static int probe() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
