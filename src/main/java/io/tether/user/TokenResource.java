package io.tether.user;

import io.tether.access.AccessChanged;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.Page;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.enterprise.event.Event;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's API tokens. */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
public class TokenResource {
  @Inject CurrentPrincipal current;
  @Inject ApiTokenService tokens;
  @Inject AuditLog audit;
  @Inject Event<AccessChanged> accessChanged;

  @POST
  @Operation(summary = "Create an API token; the token value is shown only in this answer")
  public Response create(@Valid @NotNull UserApi.NewToken body) {
    Principal p = current.require();
    ApiTokenService.Issued issued = tokens.create(p, body.name(), body.expiresAt());
    audit.record(
        Audit.by(p, current.address())
            .action("token.create")
            .subject(body.name())
            .detail("token " + issued.token().id));
    ApiToken t = issued.token();
    return Response.created(URI.create("/api/tokens/" + t.id))
        .entity(
            new UserApi.IssuedToken(t.id, t.name, issued.value(), t.createdAt, t.expiresAt, t.mfa))
        .build();
  }

  @GET
  @Operation(summary = "The caller's live tokens (without secrets)")
  public Page<UserApi.TokenView> list() {
    Principal p = current.require();
    return Page.all(tokens.list(p.userId()).stream().map(UserApi.TokenView::of).toList());
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Revoke a token; it stops working immediately")
  public Response revoke(@PathParam("id") long id) {
    Principal p = current.require();
    ApiToken token = tokens.revoke(p.userId(), id);
    accessChanged.fire(
        AccessChanged.user(AccessChanged.Kind.TOKEN_REVOKED, p.userId(), "API token revoked"));
    audit.record(
        Audit.by(p, current.address())
            .action("token.revoke")
            .subject(token.name)
            .detail("token " + id));
    return Response.noContent().build();
  }
}
