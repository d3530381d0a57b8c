package io.tether.device;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.boot.TetherConfig;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The device registry over REST. */
@Path("/api/devices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "devices")
public class DeviceResource {
  @Inject CurrentPrincipal current;
  @Inject DeviceService devices;
  @Inject TetherConfig config;

  private DeviceApi.DeviceView view(Device d, boolean admin) {
    return DeviceApi.DeviceView.of(
        d, admin, config.agentMinVersion(), config.auth().requireSecondFactor());
  }

  @POST
  @Operation(summary = "Register a device; the answer carries its token, shown only this once")
  public Response create(@Valid @NotNull DeviceApi.NewDevice body) {
    Principal admin = current.requireAdmin();
    DeviceService.Created created = devices.create(admin, current.address(), body);
    Device d = created.device();
    return Response.created(URI.create("/api/devices/" + d.id))
        .entity(
            new DeviceApi.CreatedDevice(
                d.id,
                d.name,
                d.description,
                d.group.name,
                List.of(d.tags),
                d.mode,
                d.online,
                d.createdAt,
                created.token(),
                IngressSetup.of(d, config.auth().requireSecondFactor())))
        .build();
  }

  @GET
  @Operation(
      summary =
          "Devices the caller may see, filtered (seen=never: never connected; state=pending:"
              + " self-enrolled devices waiting for approval, admins only; agent=outdated: agents"
              + " older than TETHER_AGENT_MIN_VERSION), sorted"
              + " (sort=name|status|lastSeen; by id without) and paged")
  public Page<DeviceApi.DeviceView> list(
      @QueryParam("name") String name,
      @QueryParam("tag") String tag,
      @QueryParam("group") String group,
      @QueryParam("online") Boolean online,
      @QueryParam("seen") String seen,
      @QueryParam("state") String state,
      @QueryParam("agent") String agent,
      @QueryParam("sort") String sort,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    Principal p = current.require();
    DeviceOrder order = DeviceOrder.parse(sort);
    if (seen != null && !seen.isBlank() && !"never".equals(seen)) {
      throw ApiException.badRequest("seen", "seen must be never (devices that never connected)");
    }
    boolean neverSeen = "never".equals(seen);
    if (state != null && !Device.ACTIVE.equals(state) && !Device.PENDING.equals(state)) {
      throw ApiException.badRequest(
          "state", "state must be active (the default) or pending (waiting for approval)");
    }
    if (agent != null && !agent.isBlank() && !"outdated".equals(agent)) {
      throw ApiException.badRequest(
          "agent", "agent must be outdated (older than TETHER_AGENT_MIN_VERSION)");
    }
    List<String> agentVersions =
        "outdated".equals(agent)
            ? config.agentMinVersion().map(devices::agentVersionsOlderThan).orElse(List.of())
            : null;
    return devices
        .list(
            p,
            new DeviceService.Filter(name, tag, group, online, neverSeen, state, agentVersions),
            order,
            cursor,
            limit)
        .map(d -> view(d, p.admin()));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One device")
  public DeviceApi.DeviceView get(@PathParam("id") long id) {
    Principal p = current.require();
    return view(devices.get(p, id), p.admin());
  }

  @PATCH
  @Path("{id}")
  @Operation(summary = "Change a device's name, description, group or tags")
  public DeviceApi.DeviceView update(
      @PathParam("id") long id, @Valid @NotNull DeviceApi.DevicePatch body) {
    Principal p = current.require();
    return view(devices.update(p, current.address(), id, body), p.admin());
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a device (soft: its audit entries and recordings stay)")
  public Response delete(@PathParam("id") long id) {
    Principal p = current.require();
    devices.delete(p, current.address(), id);
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/approve")
  @Operation(summary = "Approve a self-enrolled device: its group's access applies from now on")
  public DeviceApi.DeviceView approve(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    return view(devices.approve(admin, current.address(), id), true);
  }

  @POST
  @Path("{id}/reject")
  @Operation(summary = "Reject a self-enrolled device: it is deleted and its agent disconnected")
  public Response reject(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    devices.reject(admin, current.address(), id);
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/token")
  @Operation(summary = "Issue a new device token; the old one stops working")
  public DeviceApi.RotatedToken rotate(@PathParam("id") long id) {
    Principal p = current.require();
    return new DeviceApi.RotatedToken(devices.rotateToken(p, current.address(), id));
  }
}
