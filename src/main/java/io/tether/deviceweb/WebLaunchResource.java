package io.tether.deviceweb;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "Open" on a device's web target: a single-use launch URL on the target's own origin. */
@Path("/api/devices/{id}/web")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "device web")
public class WebLaunchResource {
  /** Where a launch URL points on the device's origin; device pages live at / and below. */
  public static final String LAUNCH_PATH = "/__tether/launch";

  @Inject CurrentPrincipal current;
  @Inject DeviceWebSessions sessions;
  @Inject WebDomainConfig config;

  /** The URL to open in a new tab: single use, valid 60 s. */
  public record Launch(String url) {}

  @POST
  @Path("{target}/launch")
  @Operation(summary = "A single-use URL (60 s) that opens the target's web page in the browser")
  public Launch launch(@PathParam("id") long id, @PathParam("target") String target) {
    Principal p = current.require();
    var domain =
        config
            .domain()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "device web pages are off: TETHER_WEB_DOMAIN is not set"));
    DeviceWebSessions.Launched l = sessions.launch(p, id, target, current.address());
    return new Launch(domain.origin(l.hostName()) + LAUNCH_PATH + "?t=" + l.token());
  }
}
