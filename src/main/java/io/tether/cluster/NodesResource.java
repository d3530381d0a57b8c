package io.tether.cluster;

import io.tether.access.CurrentPrincipal;
import io.tether.boot.NodeIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The portal's nodes (admins only): one with no cluster, else every node the cluster has seen. */
@Path("/api/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes")
public class NodesResource {
  @Inject CurrentPrincipal current;
  @Inject Membership membership;
  @Inject NodeIdentity identity;

  /** One node as the API shows it; {@code url}, {@code epoch} and the heartbeat are null alone. */
  public record NodeView(
      String id, String url, Long epoch, String state, long devices, Instant lastHeartbeat) {}

  public record Nodes(List<NodeView> items) {}

  @GET
  @Operation(summary = "List the portal's nodes with their state and online devices")
  public Nodes list() throws SQLException {
    current.requireAdmin();
    if (!membership.enabled()) {
      return new Nodes(
          List.of(
              new NodeView(identity.nodeId(), null, null, "live", membership.devicesHere(), null)));
    }
    return new Nodes(
        membership.nodes().stream()
            .map(
                n ->
                    new NodeView(
                        n.id(), n.url(), n.epoch(), n.state(), n.devices(), n.lastHeartbeat()))
            .toList());
  }
}
