package io.tether.user;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.mfa.RelyingParty;
import io.tether.mfa.SecurityKeys;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's security keys and passkeys (WebAuthn): register, list, rename, remove. */
@Path("/api/me/webauthn")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class SecurityKeyResource {
  @Inject CurrentPrincipal current;
  @Inject SecondFactorService secondFactors;
  @Inject SecurityKeys keys;

  @POST
  @Path("registration")
  @Operation(
      summary =
          "Start registering a security key: PublicKeyCredentialCreationOptions (JSON form) for"
              + " navigator.credentials.create")
  public SecurityKeyApi.CreationOptions begin() {
    Principal p = SecondFactorService.ownSignIn(current);
    SecurityKeys.Challenge c = secondFactors.beginKeyRegistration(p);
    return SecurityKeyApi.CreationOptions.of(c, relyingParty(), p.userId(), p.username());
  }

  @POST
  @Path("registration/finish")
  @Operation(
      summary =
          "Finish the registration with the browser's credential; the account's first second"
              + " factor answers ten recovery codes, shown only here")
  public Response finish(@Valid @NotNull SecurityKeyApi.Registration body) {
    Principal p = SecondFactorService.ownSignIn(current);
    SecondFactorService.Registered r =
        secondFactors.finishKeyRegistration(
            p, body.name().trim(), body.credential().toString(), relyingParty(), current.address());
    return Response.status(Response.Status.CREATED)
        .entity(
            new SecurityKeyApi.Registered(SecurityKeyApi.KeyView.of(r.key()), r.recoveryCodes()))
        .build();
  }

  @GET
  @Path("credentials")
  @Operation(summary = "The caller's security keys, oldest first")
  public List<SecurityKeyApi.KeyView> list() {
    Principal p = current.require();
    return keys.list(p.userId()).stream().map(SecurityKeyApi.KeyView::of).toList();
  }

  @PATCH
  @Path("credentials/{id}")
  @Operation(summary = "Rename one of the caller's security keys")
  public Response rename(@PathParam("id") long id, @Valid @NotNull SecurityKeyApi.Rename body) {
    Principal p = SecondFactorService.ownSignIn(current);
    secondFactors.renameKey(p, id, body.name().trim(), current.address());
    return Response.noContent().build();
  }

  @DELETE
  @Path("credentials/{id}")
  @Operation(
      summary =
          "Remove one of the caller's security keys (from a session signed in with a second"
              + " factor); with the last factor the recovery codes go too")
  public Response remove(@PathParam("id") long id) {
    Principal p = SecondFactorService.ownSignIn(current);
    secondFactors.removeKey(p, id, current.address());
    return Response.noContent().build();
  }

  private RelyingParty relyingParty() {
    return RelyingParty.of(current.portalUrl());
  }
}
