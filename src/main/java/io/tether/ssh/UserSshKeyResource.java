package io.tether.ssh;

import io.tether.access.AccessChanged;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.audit.AuditLog;
import io.tether.user.UserAccount;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A user's SSH keys, for admins: see them, delete one (a lost laptop). */
@Path("/api/users/{id}/ssh-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ssh")
public class UserSshKeyResource {
  @Inject CurrentPrincipal current;
  @Inject SshKeyService keys;
  @Inject AuditLog audit;
  @Inject Event<AccessChanged> accessChanged;

  @GET
  @Operation(summary = "A user's SSH keys (admins)")
  public Page<SshKeyApi.KeyView> list(@PathParam("id") long id) {
    current.requireAdmin();
    if (UserAccount.findById(id) == null) {
      throw ApiException.notFound("no user " + id);
    }
    return Page.all(keys.list(id).stream().map(SshKeyApi.KeyView::of).toList());
  }

  @DELETE
  @Path("{keyId}")
  @Operation(summary = "Delete a user's SSH key (admins)")
  public Response delete(@PathParam("id") long id, @PathParam("keyId") long keyId) {
    Principal admin = current.requireAdmin();
    SshKeyResource.deleted(current, audit, accessChanged, admin, keys.delete(id, keyId));
    return Response.noContent().build();
  }
}
