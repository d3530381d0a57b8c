package io.tether.consolelog;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.Page;
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

/** A group's console rules over REST (admins). */
@Path("/api/groups/{group}/console-rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups")
public class ConsoleRuleResource {
  @Inject CurrentPrincipal current;
  @Inject ConsoleRules rules;

  @GET
  @Operation(summary = "The group's console rules, oldest first")
  public Page<ConsoleRuleApi.RuleView> list(@PathParam("group") String group) {
    current.requireAdmin();
    return Page.all(rules.list(group).stream().map(ConsoleRuleApi.RuleView::of).toList());
  }

  @POST
  @Operation(
      summary =
          "Add a console rule: lines the group's devices print that match it raise console.match")
  public Response create(
      @PathParam("group") String group, @Valid @NotNull ConsoleRuleApi.NewRule body) {
    Principal admin = current.requireAdmin();
    ConsoleRule rule = rules.create(admin, current.address(), group, body);
    // group names are [A-Za-z0-9_.-]: nothing to escape
    return Response.created(URI.create("/api/groups/" + group + "/console-rules/" + rule.id))
        .entity(ConsoleRuleApi.RuleView.of(rule))
        .build();
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a console rule")
  public Response delete(@PathParam("group") String group, @PathParam("id") long id) {
    Principal admin = current.requireAdmin();
    rules.delete(admin, current.address(), group, id);
    return Response.noContent().build();
  }
}
