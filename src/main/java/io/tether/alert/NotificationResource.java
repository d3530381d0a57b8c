package io.tether.alert;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Recent alerts for the caller's groups and their unread count (docs/alerts.md). */
@Path("/api/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class NotificationResource {
  @Inject CurrentPrincipal current;
  @Inject Notifications notifications;

  /** How far the caller has read. */
  public record Read(@NotNull Long upTo) {}

  @GET
  @Operation(summary = "The newest notifications the caller may see, and how many are unread")
  public Notifications.Page list(@QueryParam("limit") @DefaultValue("50") int limit) {
    return notifications.of(current.require(), limit);
  }

  @POST
  @Path("read")
  @Transactional
  @Operation(summary = "Mark every notification up to upTo (an id) read")
  public Response read(@Valid @NotNull Read body) {
    Principal p = current.require();
    notifications.read(p.userId(), body.upTo());
    return Response.noContent().build();
  }
}
