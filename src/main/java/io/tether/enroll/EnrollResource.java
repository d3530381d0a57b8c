package io.tether.enroll;

import io.tether.access.CurrentPrincipal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.tunnel.RefusalAuditThrottle;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where an agent enrolls its device, authenticated by an enrollment token alone (the agent has no
 * account). Refusals are audited, at most once a minute per address.
 */
@Path("/api/enroll")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "enrollment")
public class EnrollResource {
  private static final String BEARER = "Bearer ";

  @Inject CurrentPrincipal current;
  @Inject Enrollments enrollments;
  @Inject AuditLog audit;
  @Inject RefusalAuditThrottle throttle;

  @POST
  @Operation(
      summary =
          "Enroll a device with an enrollment token (Authorization: Bearer ten_…); the answer"
              + " carries the device's own token, shown only this once")
  public Response enroll(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Valid @NotNull EnrollmentApi.Enrollment body) {
    String address = current.address();
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiException.unauthorized(
          "an enrollment token is required: Authorization: Bearer ten_…");
    }
    try {
      EnrollmentApi.Enrolled enrolled =
          enrollments.enroll(authorization.substring(BEARER.length()).trim(), body, address);
      return Response.created(URI.create("/api/devices/" + enrolled.deviceId()))
          .entity(enrolled)
          .build();
    } catch (Enrollments.Refused refused) {
      if (throttle.allow("enroll:" + address)) {
        audit.recordAlone(
            Audit.by(
                    refused.tokenId == null ? "enrollment" : Enrollments.actor(refused.tokenId),
                    null,
                    address)
                .action("device.enroll")
                .outcome(Audit.DENIED)
                .subject(body.name())
                .detail(refused.getMessage()));
      }
      throw refused.answer;
    }
  }
}
