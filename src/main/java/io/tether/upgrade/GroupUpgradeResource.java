package io.tether.upgrade;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Upgrading a group's agents, a few at a time. */
@Path("/api/groups/{group}/agent-upgrade")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups")
public class GroupUpgradeResource {
  @Inject CurrentPrincipal current;
  @Inject GroupUpgrades waves;

  @POST
  @Operation(
      summary =
          "Upgrade the group's online agents that can upgrade themselves and are older than the"
              + " portal's jar, a few at a time (202 with the devices queued)")
  public Response start(@PathParam("group") String group) {
    Principal admin = current.requireAdmin();
    return Response.accepted(waves.start(admin, current.address(), group)).build();
  }
}
