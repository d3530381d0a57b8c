package io.tether.relay;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * An entry point that serves relayed sockets on the device's node: the terminal, the data flow, the
 * CLI forward. It is called once the assertion is judged genuine and fresh; it re-reads the user,
 * asks the access policy itself and serves the socket as one of its own (or answers a problem).
 */
public interface RelayedEntry {
  Set<RelayPurpose> purposes();

  void accept(RoutingContext ctx, RelayAssertion assertion);
}
