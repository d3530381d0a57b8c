package io.tether.testing;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts a test portal, once more on fresh ports when the first start lost the port race: the
 * embedded PostgreSQL picks its own free port at start and can pick the HTTP or management port
 * this harness chose for the portal (Quarkus binds those only later), and the portal then exits
 * with "Port … seems to be in use". Any other failure is reported as it is.
 */
public final class Portals {
  private static final String PORT_RACE = "seems to be in use";

  private Portals() {}

  /** A started portal (ready on plain HTTP) with the default test settings plus {@code env}. */
  public static PortalProcess start(String name, Map<String, String> env) {
    return start(name, env, PortalProcess::start);
  }

  /** Like {@link #start(String, Map)}, with the test's own way of starting and waiting. */
  public static PortalProcess start(
      String name, Map<String, String> env, Consumer<PortalProcess> starter) {
    for (int attempt = 1; ; attempt++) {
      PortalProcess portal = PortalProcess.create(name, env);
      try {
        starter.accept(portal);
        return portal;
      } catch (RuntimeException | AssertionError e) {
        portal.close();
        if (attempt >= 2 || !portal.log().contains(PORT_RACE)) {
          throw e;
        }
        System.out.println(
            "[portals] "
                + name
                + ": the embedded PostgreSQL took a port chosen for the portal;"
                + " starting again on other ports");
      }
    }
  }
}
