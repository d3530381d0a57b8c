package io.tether.user;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.mfa.TotpFactors;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's TOTP second factor: state, enrolment, confirmation, removal. */
@Path("/api/me/totp")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class TotpResource {
  @Inject CurrentPrincipal current;
  @Inject SecondFactorService secondFactors;
  @Inject TotpFactors factors;

  @GET
  @Operation(summary = "Whether the caller has a TOTP factor, and recovery codes left")
  public AuthApi.TotpStatus status() {
    Principal p = current.require();
    TotpFactors.Status s = factors.status(p.userId());
    return new AuthApi.TotpStatus(s.active(), s.pending(), s.recoveryCodesLeft(), p.mfa());
  }

  @POST
  @Operation(
      summary =
          "Start TOTP enrolment: a new secret for the authenticator app; not active until"
              + " confirmed")
  public AuthApi.TotpEnrolment begin() {
    Principal p = requireOwnSignIn();
    TotpFactors.Enrolment e = secondFactors.begin(p, current.address());
    return new AuthApi.TotpEnrolment(e.secret(), e.otpauthUri());
  }

  @POST
  @Path("confirm")
  @Operation(
      summary =
          "Activate the factor with a first code; answers ten recovery codes, shown only here")
  public AuthApi.RecoveryCodes confirm(@Valid @NotNull AuthApi.TotpConfirm body) {
    Principal p = requireOwnSignIn();
    return new AuthApi.RecoveryCodes(secondFactors.confirm(p, body.code(), current.address()));
  }

  @DELETE
  @Operation(summary = "Remove the factor: needs the password and a code (or a recovery code)")
  public Response remove(@Valid @NotNull AuthApi.TotpRemoval body) {
    Principal p = requireOwnSignIn();
    if (body.code() == null && body.recoveryCode() == null) {
      throw ApiException.badRequest("code", "code (or recoveryCode) is required");
    }
    secondFactors.remove(
        p,
        body.password(),
        new SecondFactorService.Code(body.code(), body.recoveryCode()),
        current.address());
    return Response.noContent().build();
  }

  private Principal requireOwnSignIn() {
    return SecondFactorService.ownSignIn(current);
  }
}
