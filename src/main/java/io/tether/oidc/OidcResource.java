package io.tether.oidc;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.tether.access.CurrentPrincipal;
import io.tether.access.WebSessionCookie;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.boot.OidcProviderSettings;
import io.vertx.core.http.Cookie;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The browser's side of single sign-on: {@code login} sends it to the provider, {@code callback}
 * brings it back signed in to our own session. Every outcome is a redirect to a page of ours;
 * refusals land on {@code /sign-in?sso=REASON} and are audited.
 */
@Path("/api/auth/oidc/{name}")
@jakarta.enterprise.context.RequestScoped
@Tag(name = "auth")
public class OidcResource {
  private static final Logger LOG = Logger.getLogger(OidcResource.class);

  @Inject OidcProviders providers;
  @Inject SsoBrowser browserSide;
  @Inject SsoInvitations invitations;
  @Inject SsoSignIn signIn;
  @Inject CurrentPrincipal current;
  @Inject CurrentVertxRequest request;
  @Inject WebSessionCookie sessionCookie;
  @Inject AuditLog audit;

  @GET
  @Path("login")
  @Operation(summary = "Start a sign-in at the provider: 303 to its authorization endpoint")
  public Response login(
      @PathParam("name") String name, @QueryParam("invitation") String invitation) {
    OidcProviderSettings provider = provider(name);
    Long invitationId = null;
    if (invitation != null) {
      invitationId = invitations.find(invitation).orElse(null);
      if (invitationId == null) {
        return refused(
            name, new SsoRefusal(SsoRefusal.INVITATION, "invitation unknown, used or expired"));
      }
    }
    return start(provider, null, invitationId);
  }

  /** A redirect to the provider with a new flow, and the browser's flow cookie. */
  private Response start(OidcProviderSettings provider, Long linkUserId, Long invitationId) {
    try {
      return Response.seeOther(browserSide.authorizeUrl(provider, linkUserId, invitationId))
          .cookie(browserSide.flowCookie())
          .build();
    } catch (SsoRefusal r) {
      return refused(provider.name(), r);
    }
  }

  @GET
  @Path("callback")
  @Operation(
      summary =
          "The provider's redirect back: checks state, PKCE, the ID token; sets our session cookie"
              + " and 303s into the portal (or to /sign-in?sso=REASON when refused)")
  public Response callback(
      @PathParam("name") String name,
      @QueryParam("code") String code,
      @QueryParam("state") String state,
      @QueryParam("error") String error) {
    OidcProviderSettings provider = provider(name);
    SsoSignIn.Outcome outcome;
    try {
      Cookie flow = request.getCurrent().request().getCookie(browserSide.flowCookieName());
      outcome =
          signIn.complete(
              provider,
              code,
              state,
              error,
              flow == null ? null : flow.getValue(),
              browserSide.redirectUri(name),
              current.address());
    } catch (SsoRefusal r) {
      return refused(name, r);
    }
    NewCookie done = browserSide.clearFlowCookie();
    if (outcome.linked() != null) {
      return Response.seeOther(URI.create("/account?linked=" + outcome.linked()))
          .cookie(done)
          .build();
    }
    if (outcome.pendingToken() != null) {
      // the fragment never reaches a server or a Referer header
      return Response.seeOther(
              URI.create(
                  "/sign-in?second-factor="
                      + name
                      + "&methods="
                      + String.join(",", outcome.methods())
                      + "#"
                      + outcome.pendingToken()))
          .cookie(done)
          .build();
    }
    return Response.seeOther(URI.create("/"))
        .cookie(done, sessionCookie.issue(outcome.session().cookieValue(), current.tls()))
        .build();
  }

  private Response refused(String name, SsoRefusal r) {
    LOG.infof("single sign-on with %s refused: %s", name, r.getMessage());
    audit.recordAlone(
        Audit.by("oidc:" + name, null, current.address())
            .action("auth.login")
            .outcome(Audit.DENIED)
            .subject("oidc:" + name)
            .detail("method: oidc:" + name + ", " + r.getMessage()));
    return Response.seeOther(URI.create("/sign-in?sso=" + r.reason() + "&provider=" + name))
        .cookie(browserSide.clearFlowCookie())
        .build();
  }

  private OidcProviderSettings provider(String name) {
    return providers
        .find(name)
        .orElseThrow(
            () -> ApiException.notFound("no single sign-on provider named '" + name + "'"));
  }
}
