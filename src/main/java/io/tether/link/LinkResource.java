package io.tether.link;

import io.tether.access.AccessPolicy;
import io.tether.access.Action;
import io.tether.access.CurrentPrincipal;
import io.tether.access.FreshSecondFactor;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.device.Device;
import io.tether.device.DeviceAccess;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Link ports of a device: TCP ports legacy host software connects to. */
@Path("/api/devices/{id}/links")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "links")
public class LinkResource {
  @Inject CurrentPrincipal current;
  @Inject DeviceAccess deviceAccess;
  @Inject LinkService links;
  @Inject LinkListeners listeners;
  @Inject AccessPolicy policy;
  @Inject FreshSecondFactor freshFactor;

  @GET
  @Operation(summary = "The device's link ports")
  public Page<LinkApi.LinkView> list(@PathParam("id") long id) {
    Principal p = current.require();
    Device device = deviceAccess.require(p, Action.VIEW, id);
    boolean outside = policy.requiresSecondFactor(device.group.requireSecondFactor);
    return Page.all(links.list(device.id).stream().map(l -> view(l, outside)).toList());
  }

  @POST
  @Operation(summary = "Give a device target a TCP port on the portal (admins)")
  public Response create(@PathParam("id") long id, @Valid @NotNull LinkApi.NewLink body) {
    Principal admin = current.requireAdmin();
    Device device = deviceAccess.require(admin, Action.MANAGE, id);
    if (device.pending()) {
      throw ApiException.conflict(
          "state", "device " + device.name + " is pending approval: approve it before linking");
    }
    freshFactor.require(admin, device.group.requireSecondFactor, device.group.name, "link ports");
    DeviceLink link = links.create(admin, current.address(), device, body);
    listeners.open(link);
    return Response.created(URI.create("/api/devices/" + id + "/links/" + link.id))
        .entity(view(link, policy.requiresSecondFactor(device.group.requireSecondFactor)))
        .build();
  }

  @DELETE
  @Path("{linkId}")
  @Operation(summary = "Remove a link port (admins); connected clients are disconnected")
  public Response delete(@PathParam("id") long id, @PathParam("linkId") long linkId) {
    Principal admin = current.requireAdmin();
    Device device = deviceAccess.require(admin, Action.MANAGE, id);
    DeviceLink link = links.delete(admin, current.address(), device, linkId);
    listeners.close(link.id);
    return Response.noContent().build();
  }

  private LinkApi.LinkView view(DeviceLink l, boolean outsideSecondFactorPolicy) {
    return new LinkApi.LinkView(
        l.id,
        l.deviceId,
        l.target,
        l.port,
        List.of(l.allowCidrs),
        l.takeOver,
        listeners.listening(l.id),
        l.createdAt,
        outsideSecondFactorPolicy);
  }
}
