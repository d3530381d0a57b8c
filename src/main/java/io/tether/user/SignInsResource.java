package io.tether.user;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.access.WebSessionCookie;
import io.tether.api.ApiException;
import io.tether.api.Page;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's sign-ins (browser sessions, SSH password sign-ins): where and how each signed in and
 * when it was last used, and signing one out — its terminals, flows and SSH sessions close as with
 * any sign-out.
 */
@Path("/api/me/sign-ins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class SignInsResource {
  @Inject CurrentPrincipal current;
  @Inject WebSessionService sessions;
  @Inject AuthService auth;
  @Inject WebSessionCookie cookie;

  /**
   * One sign-in as its owner sees it.
   *
   * @param method {@code password}, {@code oidc:<provider>}, {@code ssh}, or null (signed in before
   *     this was kept)
   * @param endsAt when it ends unless used (the earlier of its idle and absolute timeouts)
   * @param current whether it is the one making this request
   */
  public record SignInView(
      long id,
      String method,
      String address,
      Instant createdAt,
      Instant lastSeenAt,
      Instant endsAt,
      boolean mfa,
      boolean current) {}

  @GET
  @Operation(summary = "The caller's live sign-ins, newest first")
  public Page<SignInView> list() {
    Principal p = current.require();
    Long mine = p.via() == Principal.Via.WEB_SESSION ? p.credentialId() : null;
    return Page.all(
        sessions.live(p.userId()).stream()
            .map(
                s ->
                    new SignInView(
                        s.id,
                        s.method,
                        s.address,
                        s.createdAt,
                        s.lastSeenAt,
                        sessions.endsAt(s),
                        s.mfa,
                        s.id.equals(mine)))
            .toList());
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Sign one of the caller's sign-ins out; 404 when it is not theirs or ended")
  public Response signOut(@PathParam("id") long id) {
    Principal p = current.require();
    sessions
        .liveOf(p.userId(), id)
        .orElseThrow(() -> ApiException.notFound("no sign-in " + id + " of yours"));
    auth.logout(p.userId(), p.username(), id, current.address());
    boolean own = p.via() == Principal.Via.WEB_SESSION && p.credentialId() == id;
    return own
        ? Response.noContent().cookie(cookie.clear(current.tls())).build()
        : Response.noContent().build();
  }
}
