package io.tether.user;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The command line's browser sign-in: the browser allows it, the CLI exchanges the code. */
@Path("/api/auth/cli")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class CliLoginResource {
  @Inject CurrentPrincipal current;
  @Inject CliLogins logins;

  @POST
  @Path("authorize")
  @Operation(
      summary =
          "Allow a command-line sign-in from this browser session: a single-use code (60 s) for"
              + " the CLI's PKCE challenge")
  public CliLoginApi.Code authorize(@Valid @NotNull CliLoginApi.Authorize body) {
    Principal p = current.require();
    String code =
        logins.authorize(p, body.challenge(), body.name(), body.ttlDays(), current.address());
    return new CliLoginApi.Code(code, Instant.now().plus(CliLogins.CODE_LIFETIME));
  }

  @POST
  @Path("exchange")
  @Operation(
      summary =
          "Trade a code and the PKCE verifier of its challenge for an API token (no credential"
              + " needed); the token value is shown only in this answer")
  public Response exchange(@Valid @NotNull CliLoginApi.Exchange body) {
    CliLogins.Exchanged e = logins.exchange(body.code(), body.verifier(), current.address());
    ApiToken t = e.token();
    return Response.created(URI.create("/api/tokens/" + t.id))
        .entity(
            new CliLoginApi.Exchanged(t.id, t.name, e.value(), e.username(), t.expiresAt, t.mfa))
        .build();
  }
}
