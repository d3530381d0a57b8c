package io.tether.oidc;

import io.tether.boot.TetherConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The single sign-on providers the sign-in page offers (public: it is shown before sign-in). */
@Path("/api/auth/providers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class ProvidersResource {
  @Inject OidcProviders providers;
  @Inject TetherConfig config;

  @GET
  @Operation(summary = "The single sign-on providers, with the URL that starts each sign-in")
  public SsoApi.Providers list() {
    return new SsoApi.Providers(
        providers.all().stream()
            .map(
                p ->
                    new SsoApi.ProviderView(
                        p.name(), p.displayName(), "/api/auth/oidc/" + p.name() + "/login"))
            .toList(),
        config.auth().passwordLogin());
  }
}
