package io.tether.alert;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's e-mail address and alert subscriptions (docs/alerts.md). */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class AlertResource {
  @Inject CurrentPrincipal current;
  @Inject UserEmails emails;
  @Inject Subscriptions subscriptions;
  @Inject MailTransport transport;
  @Inject PortalLinks links;
  @Inject AuditLog audit;

  @GET
  @Path("email")
  @Operation(summary = "The caller's e-mail address and whether it is confirmed")
  public AlertApi.EmailView email() {
    return view(current.require().userId());
  }

  @PUT
  @Path("email")
  @Transactional
  @Operation(
      summary =
          "Set the caller's address: a single-use confirmation link (24 h) is mailed to it;"
              + " alerts go to it once confirmed")
  public Response setEmail(@NotNull AlertApi.EmailChange body) {
    Principal p = current.require();
    String address = UserEmails.checked("address", body.address());
    if (!transport.configured()) {
      throw ApiException.conflict(
          "address", "this portal sends no e-mail: an admin has to set TETHER_SMTP_HOST first");
    }
    Optional<String> secret = emails.request(p.userId(), address);
    if (secret.isPresent()) {
      String link = links.base() + "/confirm-email#" + secret.get();
      try {
        transport.send(
            address,
            "[Tether] Confirm your e-mail address",
            "Someone (hopefully you, "
                + p.username()
                + ") asked Tether to send alerts to this address.\n\nConfirm it within 24 hours: "
                + link
                + "\n\nIf it was not you, ignore this mail: nothing is sent before it is confirmed.\n");
      } catch (MailFailure e) {
        throw new ApiException(502, "the confirmation mail was not sent: " + e.getMessage());
      }
    }
    audit.record(
        Audit.by(p, current.address()).action("user.email").subject(p.username()).detail(address));
    return Response.accepted(view(p.userId())).build();
  }

  @DELETE
  @Path("email")
  @Transactional
  @Operation(summary = "Remove the caller's address: no more alert mail")
  public Response removeEmail() {
    Principal p = current.require();
    emails.remove(p.userId());
    audit.record(
        Audit.by(p, current.address())
            .action("user.email")
            .subject(p.username())
            .detail("removed"));
    return Response.noContent().build();
  }

  @GET
  @Path("alerts")
  @Operation(summary = "What the caller is alerted of by e-mail, per group or for all theirs")
  public AlertApi.SubscriptionsView alerts() {
    return subscriptions.of(current.require().userId());
  }

  @PUT
  @Path("alerts")
  @Transactional
  @Operation(summary = "Replace the caller's alert subscriptions")
  public AlertApi.SubscriptionsView setAlerts(@NotNull AlertApi.Subscriptions body) {
    Principal p = current.require();
    subscriptions.replace(p, body);
    return subscriptions.of(p.userId());
  }

  private AlertApi.EmailView view(long userId) {
    return emails.view(userId, transport.configured());
  }
}
