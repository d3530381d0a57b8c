package io.tether.oidc;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.boot.OidcProviderSettings;
import io.tether.user.SecondFactorService;
import io.tether.user.UserAccount;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's own single sign-on identities: list, link (after re-authenticating), unlink. */
@Path("/api/me/identities")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "me")
public class IdentityResource {
  @Inject CurrentPrincipal current;
  @Inject OidcProviders providers;
  @Inject SsoBrowser browser;
  @Inject SecondFactorService secondFactors;
  @Inject AuditLog audit;
  @Inject io.tether.user.AuthService auth;

  @GET
  @Operation(summary = "The caller's linked identities")
  public Page<SsoApi.IdentityView> list() {
    return Page.all(Identities.of(providers, current.require().userId()));
  }

  @POST
  @Operation(
      summary =
          "Link an identity at a provider to the caller's account: the password (and a code of the"
              + " second factor if there is one) re-checked; answers the provider URL to open")
  public Response link(@Valid @NotNull SsoApi.LinkRequest body) {
    Principal p = current.require();
    OidcProviderSettings provider =
        providers
            .find(body.provider())
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "provider", "no provider named '" + body.provider() + "'"));
    secondFactors.reauthenticate(
        p,
        body.password(),
        new SecondFactorService.Code(body.code(), body.recoveryCode()),
        current.address(),
        "user.identity-link");
    try {
      return Response.ok(
              new SsoApi.LinkStart(browser.authorizeUrl(provider, p.userId(), null).toString()))
          .cookie(browser.flowCookie())
          .build();
    } catch (SsoRefusal r) {
      throw ApiException.badRequest(
          "provider", "the provider cannot be reached: " + r.getMessage());
    }
  }

  @DELETE
  @Path("{id}")
  @Transactional
  @Operation(summary = "Unlink one of the caller's identities")
  public Response unlink(@PathParam("id") long id) {
    Principal p = current.require();
    UserIdentity identity = UserIdentity.findById(id);
    if (identity == null || !identity.userId.equals(p.userId())) {
      throw ApiException.notFound("no identity " + id + " of yours");
    }
    UserAccount user = UserAccount.findById(p.userId());
    if (!auth.passwordAllowed(user) && UserIdentity.count("userId", p.userId()) == 1) {
      throw ApiException.conflict(
          null,
          "this identity is your only way to sign in (password sign-in is off for you): link"
              + " another one first, or ask an admin");
    }
    identity.delete();
    audit.record(
        Audit.by(p, current.address())
            .action("user.identity-unlink")
            .subject(p.username())
            .detail("oidc:" + identity.provider + " subject " + SsoSignIn.shown(identity.subject)));
    return Response.noContent().build();
  }
}
