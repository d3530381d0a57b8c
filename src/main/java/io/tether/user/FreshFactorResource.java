package io.tether.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.access.Authenticator;
import io.tether.access.CurrentPrincipal;
import io.tether.access.FreshSecondFactor;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.mfa.RelyingParty;
import io.tether.mfa.SecondFactors;
import io.tether.mfa.SecurityKeys;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The step-up before a session: a group may ask for the second factor again before each terminal,
 * forward or device page, and the page asks for it here — a code of the authenticator app or a
 * security key's answer to a challenge of its own — then opens.
 */
@Path("/api/me/second-factor/fresh")
@Tag(name = "auth")
public class FreshFactorResource {
  @Inject CurrentPrincipal current;
  @Inject FreshSecondFactor fresh;
  @Inject Authenticator authenticator;
  @Inject SecondFactorService secondFactors;
  @Inject SecurityKeys keys;
  @Inject AuditLog audit;

  /** One of: a code of the authenticator app, or a security key's PublicKeyCredential as JSON. */
  public record Fresh(@Size(max = 16) String code, JsonNode webauthn) {
    boolean key() {
      return webauthn != null && !webauthn.isNull();
    }
  }

  @POST
  @Operation(
      summary =
          "Present the second factor again for this session: a current code of your"
              + " authenticator app, or a security key's answer to a step-up challenge")
  public Response present(@Valid @NotNull Fresh body) {
    Principal p = current.require();
    if (body.key() == (body.code() != null)) {
      throw ApiException.badRequest("code", "send one of code or webauthn");
    }
    if (!body.key() && body.code().isBlank()) {
      throw ApiException.badRequest("code", "code must not be blank");
    }
    if (body.key()) {
      presentKey(p, body.webauthn());
    } else {
      fresh.stepUp(p, body.code());
    }
    audit.recordAlone(
        Audit.by(p, current.address())
            .action("auth.second-factor-fresh")
            .subject(p.username())
            .detail("secondFactor: " + (body.key() ? SecondFactors.WEBAUTHN : SecondFactors.TOTP)));
    return Response.noContent().build();
  }

  @POST
  @Path("webauthn/options")
  @Operation(
      summary =
          "The challenge a security key signs to present the second factor again:"
              + " PublicKeyCredentialRequestOptions (JSON form) for navigator.credentials.get")
  public SecurityKeyApi.RequestOptions webauthnOptions() {
    Principal p = current.require();
    return SecurityKeyApi.RequestOptions.of(
        keys.beginStepUp(p.userId()), RelyingParty.of(current.portalUrl()));
  }

  private void presentKey(Principal p, JsonNode webauthn) {
    if (!webauthn.isObject()) {
      throw ApiException.badRequest(
          "webauthn", "webauthn is the browser's PublicKeyCredential as a JSON object");
    }
    UserAccount user = UserAccount.findById(p.userId());
    if (!secondFactors.checkKey(
        user, webauthn.toString(), RelyingParty.of(current.portalUrl()), current.address())) {
      throw ApiException.badRequest("webauthn", "security key not recognised");
    }
    authenticator.factorPresented(p);
  }
}
