package io.tether.device;

import io.tether.access.AccessChanged;
import io.tether.access.AccessPolicy;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
  @Inject Event<AccessChanged> accessChanged;

  @GET
  @Operation(summary = "Groups the caller can see (admins: all)")
  public Page<DeviceApi.GroupView> list() {
    Principal p = current.require();
    List<DeviceGroup> groups = DeviceGroup.list("order by name");
    Set<Long> visible = p.admin() ? null : policy.roles(p).keySet();
    return Page.all(
        groups.stream()
            .filter(g -> visible == null || visible.contains(g.id))
            .map(g -> DeviceApi.GroupView.of(g))
            .toList());
  }

  @PATCH
  @Path("{id}")
  @Transactional
  @Operation(
      summary =
          "Change a group's recording policy, retention, unrecorded forwards, offline grace or"
              + " the defaults of its new devices (encoding, tags)")
  public DeviceApi.GroupView change(
      @PathParam("id") long id, @Valid @NotNull DeviceApi.GroupChange body) {
    Principal admin = current.requireAdmin();
    DeviceGroup group =
        DeviceGroup.<DeviceGroup>findByIdOptional(id)
            .orElseThrow(() -> ApiException.notFound("no group " + id));
    StringBuilder detail = new StringBuilder();
    if (body.recording() != null && !body.recording().equals(group.recording)) {
      detail.append("recording ").append(group.recording).append(" -> ").append(body.recording());
      group.recording = body.recording();
    }
    if (Boolean.TRUE.equals(body.defaultRetention())) {
      group.retentionDays = null;
      detail.append(detail.isEmpty() ? "" : "; ").append("retention: deployment default");
    } else if (body.retentionDays() != null) {
      group.retentionDays = body.retentionDays();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append("retention ")
          .append(body.retentionDays())
          .append(" days");
    }
    if (body.allowUnrecorded() != null && body.allowUnrecorded() != group.allowUnrecorded) {
      group.allowUnrecorded = body.allowUnrecorded();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append(group.allowUnrecorded ? "allows" : "refuses")
          .append(" unrecorded forwards");
    }
    if (body.requireSecondFactor() != null
        && body.requireSecondFactor() != group.requireSecondFactor) {
      group.requireSecondFactor = body.requireSecondFactor();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append(group.requireSecondFactor ? "requires" : "no longer requires")
          .append(" a second factor");
      if (group.requireSecondFactor) {
        // live terminals and forwards without a second factor on its devices close
        recheckLiveSockets("group '" + group.name + "' now requires a second factor");
      }
    }
    if (body.secondFactorTokenDays() != null
        && body.secondFactorTokenDays() != group.secondFactorTokenDays()) {
      boolean shorter = body.secondFactorTokenDays() < group.secondFactorTokenDays();
      group.secondFactorTokenDays = body.secondFactorTokenDays();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append("API tokens count as a second factor for ")
          .append(group.secondFactorTokenDays)
          .append(" days");
      if (shorter) {
        // live forwards and terminals of tokens now too old close
        recheckLiveSockets("group '" + group.name + "' accepts younger API tokens only");
      }
    }
    if (Boolean.TRUE.equals(body.noReauth()) && group.reauthMinutes != null) {
      group.reauthMinutes = null;
      detail.append(detail.isEmpty() ? "" : "; ").append("no second factor again per session");
    } else if (body.reauthMinutes() != null && !body.reauthMinutes().equals(group.reauthMinutes)) {
      group.reauthMinutes = body.reauthMinutes();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append("second factor again before each session (")
          .append(group.reauthMinutes)
          .append(" min)");
    }
    if (body.defaultEncoding() != null && !body.defaultEncoding().equals(group.encodingFor(null))) {
      group.defaultEncoding = body.defaultEncoding();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append("default encoding ")
          .append(group.defaultEncoding);
    }
    if (body.defaultTags() != null) {
      group.defaultTags = body.defaultTags().stream().distinct().toArray(String[]::new);
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append("default tags [")
          .append(String.join(" ", group.defaultTags))
          .append("]");
    }
    if (body.consoleLog() != null && !body.consoleLog().equals(group.consoleLog)) {
      group.consoleLog = body.consoleLog();
      detail.append(detail.isEmpty() ? "" : "; ").append("console log ").append(group.consoleLog);
    }
    if (body.consoleLogMaxBytes() != null) {
      group.consoleLogMaxBytes = body.consoleLogMaxBytes();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append("console log kept up to ")
          .append(group.consoleLogMaxBytes)
          .append(" bytes");
    }
    if (body.consoleLogDays() != null) {
      group.consoleLogDays = body.consoleLogDays();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append("console log kept ")
          .append(group.consoleLogDays)
          .append(" days");
    }
    if (Boolean.TRUE.equals(body.defaultOfflineGrace())) {
      group.offlineGraceSeconds = null;
      detail.append(detail.isEmpty() ? "" : "; ").append("offline grace: deployment default");
    } else if (body.offlineGraceSeconds() != null) {
      group.offlineGraceSeconds = body.offlineGraceSeconds();
      detail
          .append(detail.isEmpty() ? "" : "; ")
          .append("offline grace ")
          .append(group.offlineGraceSeconds)
          .append(" s");
    }
    audit.record(
        Audit.by(admin, current.address())
            .action("group.change")
            .subject(group.name)
            .detail(detail.toString()));
    return DeviceApi.GroupView.of(group);
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
        .entity(DeviceApi.GroupView.of(group))
        .build();
  }

  /** Live terminals and forwards re-ask the access policy (they close where it now refuses). */
  private void recheckLiveSockets(String why) {
    accessChanged.fire(new AccessChanged(AccessChanged.Kind.RECHECK_ALL, null, null, null, why));
  }
}
