package io.tether.bench;

import io.tether.testing.Build;
import io.tether.testing.PortalProcess;
import java.nio.file.Path;

/**
 * The portal of the tunnel benchmarks, on a data dir kept under {@code target/bench/fleet} so the
 * simulated devices registered by one run (slow: one REST call each) serve the next runs too, or on
 * a new one.
 */
final class BenchPortal {
  /** How Portals recognises the embedded PostgreSQL having taken a port chosen for the portal. */
  private static final String PORT_RACE = "seems to be in use";

  private BenchPortal() {}

  static Path fleetDir() {
    return Build.dir().resolve("bench").resolve("fleet");
  }

  /** Starts the portal on the fleet's data dir with production timers and {@code -Xmx xmx}. */
  static PortalProcess start(String name, String xmx) {
    Path data = fleetDir().resolve("data");
    if (!java.nio.file.Files.isDirectory(data)) {
      // tokens of a fleet whose database is gone are worthless: register afresh
      fleetDir().resolve("tokens.txt").toFile().delete();
    }
    return start(name, xmx, data);
  }

  /** The same on a data dir of the caller's (a new one: a portal without the kept fleet). */
  static PortalProcess start(String name, String xmx, Path data) {
    for (int attempt = 1; ; attempt++) {
      PortalProcess portal =
          PortalProcess.create(name, BenchSettings.productionTimers(), data).maxHeap(xmx);
      try {
        return portal.start();
      } catch (RuntimeException | AssertionError e) {
        portal.close();
        if (attempt >= 2 || !portal.log().contains(PORT_RACE)) {
          throw e;
        }
        System.out.println("[bench] " + name + ": port race with PostgreSQL, starting again");
      }
    }
  }
}
