package io.tether.ssh;

import io.tether.access.AccessChanged;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.Page;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's SSH public keys: what signs them in at the SSH front door. */
@Path("/api/me/ssh-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ssh")
public class SshKeyResource {
  @Inject CurrentPrincipal current;
  @Inject SshKeyService keys;
  @Inject AuditLog audit;
  @Inject Event<AccessChanged> accessChanged;

  @POST
  @Operation(summary = "Register a public key (one line of an OpenSSH .pub file)")
  public Response add(@Valid @NotNull SshKeyApi.NewKey body) {
    Principal p = current.require();
    SshKey key = keys.add(p.userId(), body.name(), body.publicKey());
    audit.record(
        Audit.by(p, current.address())
            .action("ssh-key.add")
            .subject(key.name)
            .detail(key.fingerprint));
    return Response.created(URI.create("/api/me/ssh-keys/" + key.id))
        .entity(SshKeyApi.KeyView.of(key))
        .build();
  }

  @GET
  @Operation(summary = "The caller's SSH keys")
  public Page<SshKeyApi.KeyView> list() {
    Principal p = current.require();
    return Page.all(keys.list(p.userId()).stream().map(SshKeyApi.KeyView::of).toList());
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a key; SSH sessions it signed in end within a second")
  public Response delete(@PathParam("id") long id) {
    Principal p = current.require();
    deleted(current, audit, accessChanged, p, keys.delete(p.userId(), id));
    return Response.noContent().build();
  }

  /** A deleted key: audited, and the SSH sessions it signed in re-check (and end). */
  static void deleted(
      CurrentPrincipal current,
      AuditLog audit,
      Event<AccessChanged> accessChanged,
      Principal by,
      SshKey key) {
    accessChanged.fire(
        AccessChanged.user(AccessChanged.Kind.TOKEN_REVOKED, key.userId, "SSH key deleted"));
    audit.record(
        Audit.by(by, current.address())
            .action("ssh-key.delete")
            .subject(key.name)
            .detail(key.fingerprint + " of user " + key.userId));
  }
}
