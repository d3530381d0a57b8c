package io.tether.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A range of ports the portal may listen on, and the probe that says whether one is free on this
 * host right now (a bind, then close).
 */
public record PortPool(PortRange range, String bindAddress) {
  /** Why a port cannot be had. */
  public enum Refusal {
    OUTSIDE_POOL,
    TAKEN,
    NOT_BINDABLE,
    EXHAUSTED
  }

  /** A port could not be allocated; {@link #refusal()} says why. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    private final Refusal refusal;

    Unavailable(Refusal refusal, String message) {
      super(message);
      this.refusal = refusal;
    }

    public Refusal refusal() {
      return refusal;
    }
  }

  /** The requested port, checked; {@code taken} are ports already given out. */
  public int claim(int port, Set<Integer> taken) throws Unavailable {
    if (!range.contains(port)) {
      throw new Unavailable(
          Refusal.OUTSIDE_POOL,
          "port " + port + " is outside the pool " + range.first() + "-" + range.last());
    }
    if (taken.contains(port)) {
      throw new Unavailable(Refusal.TAKEN, "port " + port + " is already in use by Tether");
    }
    if (!bindable(port)) {
      throw new Unavailable(Refusal.NOT_BINDABLE, "port " + port + " is in use on this host");
    }
    return port;
  }

  /** The first port of the pool that is neither taken nor busy on the host. */
  public int claimAny(Set<Integer> taken) throws Unavailable {
    IntPredicate free = p -> !taken.contains(p) && bindable(p);
    for (int port = range.first(); port <= range.last(); port++) {
      if (free.test(port)) {
        return port;
      }
    }
    throw new Unavailable(
        Refusal.EXHAUSTED,
        "the pool " + range.first() + "-" + range.last() + " has no free port left");
  }

  /** The probe: can this host listen on the port right now? */
  public boolean bindable(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(IpLiteral.parse(bindAddress), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
