package io.tether.alert;

import io.tether.access.CurrentPrincipal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Follows a confirmation link. Public: the link's 256-bit secret is the credential, so it works in
 * any browser; the page POSTs it (a mail scanner fetching the link confirms nothing).
 */
@Path("/api/email-confirmations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class EmailConfirmationResource {
  @Inject UserEmails emails;
  @Inject AuditLog audit;
  @Inject CurrentPrincipal current;

  @POST
  @Transactional
  @Operation(summary = "Confirm an e-mail address with the secret of its link")
  public AlertApi.EmailView confirm(@NotNull AlertApi.Confirmation body) {
    UserEmails.Confirmed done =
        emails
            .confirm(body.token())
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "token",
                        "this confirmation link is not valid or has expired (links work once,"
                            + " for 24 h): set the address again on your account page"));
    audit.record(
        Audit.by("user:" + done.userId(), done.userId(), current.address())
            .action("user.email-confirmed")
            .detail(done.address()));
    return new AlertApi.EmailView(done.address(), true, true);
  }
}
