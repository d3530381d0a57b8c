package io.tether.device;

import io.tether.access.AccessPolicy;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Device groups: the unit access is granted on. */
@Path("/api/groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups")
public class GroupResource {
  @Inject CurrentPrincipal current;
  @Inject AccessPolicy policy;
  @Inject AuditLog audit;

  @GET
  @Operation(summary = "Groups the caller can see (admins: all)")
  public Page<DeviceApi.GroupView> list() {
    Principal p = current.require();
    List<DeviceGroup> groups = DeviceGroup.list("order by name");
    Set<Long> visible = p.admin() ? null : policy.roles(p).keySet();
    return Page.all(
        groups.stream()
            .filter(g -> visible == null || visible.contains(g.id))
            .map(g -> new DeviceApi.GroupView(g.id, g.name))
            .toList());
  }

  @POST
  @Transactional
  @Operation(summary = "Create a device group")
  public Response create(@Valid @NotNull DeviceApi.NewGroup body) {
    Principal admin = current.requireAdmin();
    if (DeviceGroup.count("name", body.name()) > 0) {
      throw ApiException.conflict("name", "a group named '" + body.name() + "' exists");
    }
    DeviceGroup group = new DeviceGroup();
    group.name = body.name();
    group.persist();
    audit.record(Audit.by(admin, current.address()).action("group.create").subject(group.name));
    return Response.created(URI.create("/api/groups/" + group.id))
        .entity(new DeviceApi.GroupView(group.id, group.name))
        .build();
  }
}
