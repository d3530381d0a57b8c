package io.tether.alert;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admins: the portal's mail, its status and a test mail (docs/alerts.md). */
@Path("/api/admin/mail")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class MailAdminResource {
  @Inject CurrentPrincipal current;
  @Inject MailTransport transport;
  @Inject MailStatus status;
  @Inject UserEmails emails;
  @Inject AuditLog audit;

  @GET
  @Operation(summary = "Whether the portal sends mail, through which server, its last error")
  public AlertApi.MailView mail() {
    current.requireAdmin();
    return status.view(transport);
  }

  @POST
  @Path("test")
  @Operation(
      summary =
          "Send a test mail (to the admin's own confirmed address unless 'to' is given); the SMTP"
              + " server's refusal is answered as 502 with its reason")
  public AlertApi.TestSent test(AlertApi.TestMail body) {
    Principal admin = current.requireAdmin();
    String to =
        body != null && body.to() != null && !body.to().isBlank()
            ? UserEmails.checked("to", body.to())
            : emails
                .confirmed(admin.userId())
                .orElseThrow(
                    () ->
                        ApiException.badRequest(
                            "to", "you have no confirmed address: give 'to' or set yours first"));
    try {
      transport.send(
          to,
          "[Tether] Test mail",
          "This is a test mail from Tether, sent by " + admin.username() + ". Mail works.\n");
    } catch (MailFailure e) {
      status.failed(e.getMessage());
      audit.record(
          Audit.by(admin, current.address())
              .action("mail.test")
              .outcome(Audit.FAILED)
              .subject(to)
              .detail(e.getMessage()));
      throw new ApiException(502, e.getMessage());
    }
    status.sent();
    audit.record(Audit.by(admin, current.address()).action("mail.test").subject(to));
    return new AlertApi.TestSent(to);
  }
}
