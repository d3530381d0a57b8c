package io.tether.oidc;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.boot.TetherConfig;
import io.tether.user.UserAccount;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A user's single sign-on, for admins: their identities, and an invitation link. */
@Path("/api/users/{id}/sso")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
public class UserSsoResource {
  @Inject CurrentPrincipal current;
  @Inject OidcProviders providers;
  @Inject SsoInvitations invitations;
  @Inject TetherConfig config;

  @GET
  @Path("identities")
  @Operation(summary = "The user's linked identities")
  public Page<SsoApi.IdentityView> identities(@PathParam("id") long id) {
    current.requireAdmin();
    if (UserAccount.findById(id) == null) {
      throw ApiException.notFound("no user " + id);
    }
    return Page.all(Identities.of(providers, id));
  }

  @POST
  @Path("invitation")
  @Operation(
      summary =
          "A single-use invitation link, valid 7 days and shown once: its first single sign-on binds"
              + " that identity to the user (ends the user's earlier invitations)")
  public Response invite(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    if (providers.all().isEmpty()) {
      throw ApiException.conflict(null, "no single sign-on provider is configured");
    }
    SsoInvitations.Issued issued = invitations.create(admin, current.address(), id);
    String base = config.publicUrl().filter(u -> !u.isBlank()).orElse("");
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return Response.status(201)
        .entity(
            new SsoApi.Invitation(
                base + "/sign-in?invitation=" + issued.token(), issued.expiresAt()))
        .build();
  }
}
