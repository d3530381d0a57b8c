package io.tether.deviceweb;

import io.tether.api.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Caddy's on-demand TLS {@code ask}: 200 only for the host of an existing web target, so a
 * certificate is requested for no other name. Unauthenticated (Caddy asks it); it tells nothing
 * that could be guessed: the labels are 128 random bits.
 */
@Path("/api/web-hosts/check")
@Tag(name = "device web")
public class WebHostResource {
  @Inject WebDomainConfig config;
  @Inject DeviceWebSessions sessions;

  @GET
  @Operation(summary = "200 when DOMAIN is a device web page's host (Caddy's on-demand TLS ask)")
  public Response check(@QueryParam("domain") String domain) {
    if (domain == null || domain.length() > 253) {
      throw ApiException.badRequest("domain", "domain is required (at most 253 characters)");
    }
    String label =
        config
            .domain()
            .flatMap(d -> d.labelOf(domain))
            .filter(l -> l.startsWith("d-"))
            .orElseThrow(() -> ApiException.notFound("no device web page at " + domain));
    if (!sessions.known(label.substring(2))) {
      throw ApiException.notFound("no device web page at " + domain);
    }
    return Response.ok().build();
  }
}
