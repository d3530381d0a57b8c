package io.tether.user;

import io.tether.access.AccessPolicy;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.device.DeviceGroup;
import io.tether.mfa.SecondFactors;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The signed-in user: who they are, their grants, their password. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class MeResource {
  @Inject CurrentPrincipal current;
  @Inject AuthService auth;
  @Inject AccessPolicy policy;
  @Inject SecondFactors factors;

  @GET
  @Operation(summary = "The caller, their grants and (for browser sessions) the CSRF token")
  public AuthApi.MeAnswer me() {
    Principal p = current.require();
    List<DeviceGroup> reached = reached(p).toList();
    return new AuthApi.MeAnswer(
        p.userId(),
        p.username(),
        p.admin(),
        p.csrfToken(),
        Grant.ofUser(p.userId()).stream()
            .map(g -> new AuthApi.GrantView(g.group.name, g.role))
            .toList(),
        p.mfa(),
        reached.stream()
            .filter(g -> policy.lacksSecondFactor(p, g.requireSecondFactor))
            .map(g -> g.name)
            .sorted()
            .toList(),
        reached.stream().filter(g -> asksAgain(p, g)).map(g -> g.name).sorted().toList(),
        factors.methods(p.userId()).stream()
            .filter(m -> !SecondFactors.RECOVERY.equals(m))
            .toList());
  }

  /** The groups the caller reaches (all, for an admin). */
  private static Stream<DeviceGroup> reached(Principal p) {
    return p.admin()
        ? DeviceGroup.<DeviceGroup>listAll().stream()
        : Grant.ofUser(p.userId()).stream().map(g -> g.group);
  }

  /** Whether the group would ask this credential for its second factor again now. */
  private boolean asksAgain(Principal p, DeviceGroup g) {
    return policy.requiresSecondFactor(g.requireSecondFactor)
        && !policy.lacksSecondFactor(p, g.requireSecondFactor)
        && policy.asksAgain(p, g.reauthMinutes);
  }

  @POST
  @Path("password")
  @Operation(
      summary =
          "Change the caller's own password; the caller's other sessions end, and their API"
              + " tokens unless revokeTokens is false")
  public Response changePassword(@Valid @NotNull AuthApi.PasswordChange body) {
    Principal p = current.require();
    Long keep = p.via() == Principal.Via.WEB_SESSION ? p.credentialId() : null;
    auth.changeOwnPassword(
        p.userId(),
        keep,
        body.currentPassword(),
        body.newPassword(),
        body.revokesTokens(),
        current.address());
    return Response.noContent().build();
  }
}
