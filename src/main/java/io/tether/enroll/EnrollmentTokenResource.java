package io.tether.enroll;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.Page;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Enrollment tokens over REST (admins only). */
@Path("/api/enrollment-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "enrollment")
public class EnrollmentTokenResource {
  @Inject CurrentPrincipal current;
  @Inject EnrollmentTokens tokens;
  @Inject AuditLog audit;

  @POST
  @Operation(summary = "Mint an enrollment token for a group; its value is shown only here")
  public Response create(@Valid @NotNull EnrollmentApi.NewToken body) {
    Principal admin = current.requireAdmin();
    EnrollmentTokens.Issued issued = tokens.create(admin, body);
    EnrollmentToken t = issued.token();
    audit.record(
        Audit.by(admin, current.address())
            .action("enrollment-token.create")
            .subject("ten_" + t.lookupId)
            .detail(
                "group "
                    + t.group.name
                    + ", "
                    + t.usesAllowed
                    + " use(s) until "
                    + t.expiresAt
                    + (t.autoApprove ? ", auto-approve" : "")));
    return Response.created(URI.create("/api/enrollment-tokens/" + t.id))
        .entity(
            new EnrollmentApi.IssuedToken(
                t.id, issued.value(), EnrollmentApi.TokenView.of(t, Instant.now())))
        .build();
  }

  @GET
  @Operation(summary = "Every enrollment token with its state and uses (never the secrets)")
  public Page<EnrollmentApi.TokenView> list(
      @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
    current.requireAdmin();
    Instant now = Instant.now();
    return tokens.list(cursor, limit).map(t -> EnrollmentApi.TokenView.of(t, now));
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Revoke an enrollment token; devices it enrolled keep working")
  public Response revoke(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    EnrollmentToken t = tokens.revoke(id);
    audit.record(
        Audit.by(admin, current.address())
            .action("enrollment-token.revoke")
            .subject("ten_" + t.lookupId));
    return Response.noContent().build();
  }
}
