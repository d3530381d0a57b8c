package io.tether.user;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.access.WebSessionCookie;
import io.tether.api.ApiException;
import io.tether.mfa.RelyingParty;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sign in and out of the browser session. */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class AuthResource {
  @Inject AuthService auth;
  @Inject CurrentPrincipal current;
  @Inject WebSessionCookie cookie;
  @Inject SecondFactorService secondFactors;

  @POST
  @Path("login")
  @Operation(summary = "Sign in; sets the session cookie and returns the CSRF token")
  public Response login(@Valid @NotNull AuthApi.LoginRequest body) {
    AuthService.Outcome outcome = auth.login(body.username(), body.password(), current.address());
    if (outcome.pendingToken() != null) {
      // no cookie: nothing is reachable until the second step completes the sign-in
      return Response.ok(
              new AuthApi.SecondFactorAnswer("required", outcome.pendingToken(), outcome.methods()))
          .build();
    }
    return signedIn(outcome.session());
  }

  @POST
  @Path("login/second-factor")
  @Operation(
      summary =
          "Complete a sign-in with a TOTP code, a recovery code or a security key; sets the session"
              + " cookie and returns the CSRF token")
  public Response secondFactor(@Valid @NotNull AuthApi.SecondFactorRequest body) {
    int proofs =
        (body.code() == null ? 0 : 1)
            + (body.recoveryCode() == null ? 0 : 1)
            + (body.webauthn() == null || body.webauthn().isNull() ? 0 : 1);
    if (proofs != 1) {
      throw ApiException.badRequest("code", "send one of code, recoveryCode or webauthn");
    }
    if (body.webauthn() != null && !body.webauthn().isNull()) {
      if (!body.webauthn().isObject()) {
        throw ApiException.badRequest(
            "webauthn", "webauthn is the browser's PublicKeyCredential as a JSON object");
      }
      return signedIn(
          secondFactors.completeWithKey(
              body.pendingToken(),
              body.webauthn().toString(),
              RelyingParty.of(current.portalUrl()),
              current.address()));
    }
    return signedIn(
        secondFactors.complete(
            body.pendingToken(),
            new SecondFactorService.Code(body.code(), body.recoveryCode()),
            current.address()));
  }

  @POST
  @Path("login/second-factor/webauthn/options")
  @Operation(
      summary =
          "The challenge a security key signs to complete a pending sign-in:"
              + " PublicKeyCredentialRequestOptions (JSON form) for navigator.credentials.get")
  public SecurityKeyApi.RequestOptions webauthnOptions(
      @Valid @NotNull SecurityKeyApi.OptionsRequest body) {
    return SecurityKeyApi.RequestOptions.of(
        secondFactors.keyChallenge(body.pendingToken()), RelyingParty.of(current.portalUrl()));
  }

  private Response signedIn(WebSessionService.Created created) {
    UserAccount user = UserAccount.findById(created.session().userId);
    return Response.ok(
            new AuthApi.LoginAnswer(
                user.username,
                user.admin,
                created.session().csrfToken,
                created.session().expiresAt))
        .cookie(cookie.issue(created.cookieValue(), current.tls()))
        .build();
  }

  @POST
  @Path("logout")
  @Operation(summary = "End this browser session")
  public Response logout() {
    Principal p = current.require();
    if (p.via() != Principal.Via.WEB_SESSION) {
      throw ApiException.badRequest(
          null, "logout ends a browser session; revoke API tokens instead");
    }
    auth.logout(p.userId(), p.username(), p.credentialId(), current.address());
    return Response.noContent().cookie(cookie.clear(current.tls())).build();
  }

  @POST
  @Path("logout-everywhere")
  @Operation(summary = "End every browser session of the caller")
  public Response logoutEverywhere() {
    Principal p = current.require();
    auth.logoutEverywhere(p.userId(), p.username(), current.address());
    return Response.noContent().cookie(cookie.clear(current.tls())).build();
  }
}
