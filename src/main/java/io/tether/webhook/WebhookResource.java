package io.tether.webhook;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Webhook endpoints and their delivery logs over REST (admins only; docs/webhooks.md). */
@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
public class WebhookResource {
  @Inject CurrentPrincipal current;
  @Inject WebhookService webhooks;
  @Inject DeliveryLog log;
  @Inject AuditLog audit;

  @POST
  @Operation(summary = "Add an endpoint; its signing secret is shown only here")
  public Response create(@NotNull WebhookApi.NewWebhook body) {
    Principal admin = current.requireAdmin();
    WebhookService.Issued issued = webhooks.create(admin, current.address(), body);
    Webhook w = issued.webhook();
    return Response.created(URI.create("/api/webhooks/" + w.id))
        .entity(new WebhookApi.Created(w.id, issued.secret(), webhooks.view(w)))
        .build();
  }

  @GET
  @Operation(summary = "Every endpoint (never its secret)")
  public Page<WebhookApi.WebhookView> list() {
    current.requireAdmin();
    return Page.all(webhooks.list().stream().map(webhooks::view).toList());
  }

  @PATCH
  @Path("{id}")
  @Operation(summary = "Change an endpoint's URL, events, groups or enabled state")
  public WebhookApi.WebhookView update(
      @PathParam("id") long id, @NotNull WebhookApi.WebhookPatch patch) {
    Principal admin = current.requireAdmin();
    return webhooks.view(webhooks.update(admin, current.address(), id, patch));
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Remove an endpoint and its delivery log")
  public Response delete(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    webhooks.delete(admin, current.address(), id);
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/rotate-secret")
  @Operation(summary = "A new secret, shown once; the previous one also signs for 24 h")
  public WebhookApi.Rotated rotate(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    return webhooks.rotate(admin, current.address(), id);
  }

  @GET
  @Path("{id}/deliveries")
  @Operation(summary = "The endpoint's latest deliveries, newest first, with every attempt")
  public Page<WebhookApi.DeliveryView> deliveries(@PathParam("id") long id) {
    current.requireAdmin();
    webhooks.get(id);
    return Page.all(log.recent(id));
  }

  @POST
  @Path("{id}/deliveries/{deliveryId}/redeliver")
  @Transactional
  @Operation(summary = "Send a delivery again now (same webhook-id), with a fresh retry schedule")
  public Response redeliver(@PathParam("id") long id, @PathParam("deliveryId") long deliveryId) {
    Principal admin = current.requireAdmin();
    Webhook w = webhooks.get(id);
    if (!log.redeliver(id, deliveryId)) {
      throw ApiException.notFound("no delivery " + deliveryId + " of webhook " + id);
    }
    audit.record(
        Audit.by(admin, current.address())
            .action("webhook.redeliver")
            .subject(w.url)
            .detail("webhook " + id + ", delivery " + deliveryId));
    return Response.accepted().build();
  }
}
