package io.tether.ssh;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/ssh}: public, so anyone can check the host key fingerprint their ssh client shows
 * on first connection before trusting it.
 */
@Path("/api/ssh")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ssh")
public class SshResource {
  @Inject SshFrontDoor door;

  @GET
  @Operation(summary = "The SSH front door: on or off, its port, its host key fingerprint")
  public SshKeyApi.ServerView get() {
    return door.view();
  }
}
