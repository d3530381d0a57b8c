package io.tether.session;

import io.tether.cluster.SessionEndRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.sql.SQLException;

/**
 * An admin's end of a session that reached another node: this node holds the session, so it ends it
 * here (the hub or the forward), exactly as a local request does; the request was audited there.
 */
@ApplicationScoped
class RemoteSessionEnd {
  @Inject SessionHubs hubs;
  @Inject ForwardSessions forwards;
  @Inject SessionRows rows;

  void onEndRequested(@ObservesAsync SessionEndRequested request) throws SQLException {
    if (!hubs.end(request.sessionId(), request.reason(), request.detail())
        && !forwards.end(request.sessionId(), request.reason(), request.detail())) {
      rows.endOrphan(request.sessionId(), request.reason());
    }
  }
}
