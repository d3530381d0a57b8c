package io.tether.deviceweb;

import io.tether.access.AccessChanged;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's open device web pages (docs/device-web.md): each with the sign-in it was opened
 * from, and closing one — its next request is refused and its WebSockets close.
 */
@Path("/api/me/device-web")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "device web")
public class UserDeviceWebResource {
  @Inject CurrentPrincipal current;
  @Inject DeviceWebSessions sessions;
  @Inject Event<AccessChanged> accessChanged;

  @GET
  @Operation(summary = "The caller's live device-web sessions, newest first")
  public Page<DeviceWebSessions.Mine> list() {
    return Page.all(sessions.mine(current.require().userId()));
  }

  @DELETE
  @Path("{id}")
  @Operation(
      summary = "Close one of the caller's device-web sessions; 404 when not theirs or ended")
  public Response close(@PathParam("id") long id) {
    Principal p = current.require();
    if (!sessions.endMine(p.userId(), id)) {
      throw ApiException.notFound("no open device web page " + id + " of yours");
    }
    // cached admissions drop and live exchanges of the user re-check (this one is ended)
    accessChanged.fire(
        AccessChanged.user(
            AccessChanged.Kind.DEVICE_WEB_ENDED, p.userId(), "device web page closed"));
    return Response.noContent().build();
  }
}
