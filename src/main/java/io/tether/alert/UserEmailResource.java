package io.tether.alert;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.user.UserAccount;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admins: users' e-mail addresses; one an admin sets is confirmed at once (docs/alerts.md). */
@Path("/api/users/{id}/email")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class UserEmailResource {
  @Inject CurrentPrincipal current;
  @Inject MailTransport transport;
  @Inject UserEmails emails;
  @Inject AuditLog audit;

  @PUT
  @Transactional
  @Operation(summary = "Set a user's e-mail address, confirmed at once (an admin's word)")
  public AlertApi.EmailView setEmail(@PathParam("id") long id, @NotNull AlertApi.EmailChange body) {
    Principal admin = current.requireAdmin();
    String address = UserEmails.checked("address", body.address());
    UserAccount user = user(id);
    emails.setConfirmed(id, address);
    audit.record(
        Audit.by(admin, current.address())
            .action("user.email")
            .subject(user.username)
            .detail(address));
    return new AlertApi.EmailView(address, true, transport.configured());
  }

  @DELETE
  @Transactional
  @Operation(summary = "Remove a user's e-mail address")
  public Response removeEmail(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    UserAccount user = user(id);
    emails.remove(id);
    audit.record(
        Audit.by(admin, current.address())
            .action("user.email")
            .subject(user.username)
            .detail("removed"));
    return Response.noContent().build();
  }

  @GET
  @Operation(summary = "A user's e-mail address and whether it is confirmed")
  public AlertApi.EmailView email(@PathParam("id") long id) {
    current.requireAdmin();
    user(id);
    return emails.view(id, transport.configured());
  }

  private static UserAccount user(long id) {
    UserAccount user = UserAccount.findById(id);
    if (user == null) {
      throw ApiException.notFound("no user " + id);
    }
    return user;
  }
}
