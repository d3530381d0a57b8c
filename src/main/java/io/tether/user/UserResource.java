package io.tether.user;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import io.tether.mfa.SecondFactors;
import io.tether.mfa.SecurityKeys;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Users and their grants (admins only). */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
public class UserResource {
  @Inject CurrentPrincipal current;
  @Inject UserService users;
  @Inject SecondFactors factors;
  @Inject SecurityKeys keys;
  @Inject SecondFactorService secondFactors;

  @POST
  @Operation(summary = "Create a user")
  public Response create(@Valid @NotNull UserApi.NewUser body) {
    Principal admin = current.requireAdmin();
    UserAccount user = users.create(admin, current.address(), body);
    return Response.created(URI.create("/api/users/" + user.id))
        .entity(UserApi.UserView.of(user, Set.of(), java.util.Map.of()))
        .build();
  }

  @GET
  @Operation(summary = "List users")
  public Page<UserApi.UserView> list(
      @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
    current.requireAdmin();
    Page<UserAccount> page = users.list(PageRequest.of(cursor, limit));
    List<Long> ids = page.items().stream().map(u -> u.id).toList();
    Set<Long> withFactor = factors.anyAmong(ids);
    java.util.Map<Long, Long> keyCounts = keys.countsAmong(ids);
    return page.map(u -> UserApi.UserView.of(u, withFactor, keyCounts));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One user")
  public UserApi.UserView get(@PathParam("id") long id) {
    current.requireAdmin();
    return view(users.get(id));
  }

  @PATCH
  @Path("{id}")
  @Operation(summary = "Disable/enable a user or change the admin flag")
  public UserApi.UserView update(@PathParam("id") long id, @NotNull UserApi.UserPatch body) {
    Principal admin = current.requireAdmin();
    return view(users.update(admin, current.address(), id, body));
  }

  private UserApi.UserView view(UserAccount user) {
    return UserApi.UserView.of(
        user, factors.anyAmong(List.of(user.id)), keys.countsAmong(List.of(user.id)));
  }

  @DELETE
  @Path("{id}/second-factor")
  @Operation(
      summary =
          "Reset a user's second factor (lost phone or keys and recovery codes): their TOTP"
              + " factor, security keys and recovery codes go; they sign in with their password"
              + " alone until they add a factor again")
  public Response resetSecondFactor(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    secondFactors.reset(admin, current.address(), id);
    return Response.noContent().build();
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a user")
  public Response delete(@PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    users.delete(admin, current.address(), id);
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/password")
  @Operation(summary = "Reset a user's password; their sessions end")
  public Response resetPassword(
      @PathParam("id") long id, @Valid @NotNull UserApi.PasswordReset body) {
    Principal admin = current.requireAdmin();
    users.resetPassword(admin, current.address(), id, body.password());
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/grants")
  @Operation(summary = "A user's grants")
  public Page<UserApi.GrantView> grants(@PathParam("id") long id) {
    current.requireAdmin();
    return Page.all(users.grants(id).stream().map(UserApi.GrantView::of).toList());
  }

  @POST
  @Path("{id}/grants")
  @Operation(summary = "Grant a role (viewer or operator) on a device group")
  public Response grant(@PathParam("id") long id, @Valid @NotNull UserApi.NewGrant body) {
    Principal admin = current.requireAdmin();
    Grant grant = users.grant(admin, current.address(), id, body);
    return Response.created(URI.create("/api/users/" + id + "/grants/" + grant.id))
        .entity(UserApi.GrantView.of(grant))
        .build();
  }

  @DELETE
  @Path("{id}/grants/{grantId}")
  @Operation(summary = "Remove a grant")
  public Response revokeGrant(@PathParam("id") long id, @PathParam("grantId") long grantId) {
    Principal admin = current.requireAdmin();
    users.revokeGrant(admin, current.address(), id, grantId);
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/tokens")
  @Operation(summary = "A user's live API tokens (without secrets)")
  public Page<UserApi.TokenView> tokens(@PathParam("id") long id) {
    current.requireAdmin();
    return Page.all(users.tokens(id).stream().map(UserApi.TokenView::of).toList());
  }

  @DELETE
  @Path("{id}/tokens/{tokenId}")
  @Operation(summary = "Revoke one of a user's API tokens; it stops working immediately")
  public Response revokeToken(@PathParam("id") long id, @PathParam("tokenId") long tokenId) {
    Principal admin = current.requireAdmin();
    users.revokeToken(admin, current.address(), id, tokenId);
    return Response.noContent().build();
  }
}
