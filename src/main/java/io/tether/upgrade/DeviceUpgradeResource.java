package io.tether.upgrade;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Upgrading one device's agent to the jar the portal serves. */
@Path("/api/devices/{id}/agent-upgrade")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "devices")
public class DeviceUpgradeResource {
  @Inject CurrentPrincipal current;
  @Inject AgentUpgrades upgrades;
  @Inject UpgradeDispatch dispatch;

  /** The upgrade as asked for: it is under way, its outcome comes later (GET, the audit log). */
  public record Asked(long deviceId, String from, String to, String state) {}

  @POST
  @Operation(
      summary =
          "Tell the device's agent to upgrade itself to the portal's agent jar (202; 409 says why"
              + " not)")
  public Response ask(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    AgentUpgrades.Asked asked = upgrades.ask(admin, current.address(), id);
    dispatch.send(asked); // here, or by the node holding the tunnel
    return Response.accepted(new Asked(asked.deviceId(), asked.from(), asked.to(), "under-way"))
        .build();
  }

  @GET
  @Operation(summary = "The device's latest agent upgrade and its outcome (204: none asked for)")
  public Response latest(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    return upgrades
        .latest(admin, id)
        .map(s -> Response.ok(s).build())
        .orElse(Response.noContent().build());
  }
}
