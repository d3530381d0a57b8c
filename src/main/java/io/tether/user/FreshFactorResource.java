package io.tether.user;

import io.tether.access.CurrentPrincipal;
import io.tether.access.FreshSecondFactor;
import io.tether.access.Principal;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The step-up before a session: a group may ask for the second factor again before each terminal,
 * forward or device page, and the page asks for a code here, then opens.
 */
@Path("/api/me/second-factor/fresh")
@Tag(name = "auth")
public class FreshFactorResource {
  @Inject CurrentPrincipal current;
  @Inject FreshSecondFactor fresh;
  @Inject AuditLog audit;

  public record Code(@NotBlank @Size(max = 16) String code) {}

  @POST
  @Operation(summary = "Present a current code of your authenticator app for this session")
  public Response present(@Valid @NotNull Code body) {
    Principal p = current.require();
    fresh.stepUp(p, body.code());
    audit.recordAlone(
        Audit.by(p, current.address()).action("auth.second-factor-fresh").subject(p.username()));
    return Response.noContent().build();
  }
}
