package io.tether.oidc;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Pkce;
import io.tether.access.WebSessionCookie;
import io.tether.boot.OidcProviderSettings;
import io.vertx.core.http.Cookie;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;
import java.net.URI;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The browser's part in a code flow, for the request at hand: the flow cookie that ties a flow to
 * the browser that started it (SameSite=Lax, since it must come back with the provider's redirect),
 * the redirect URI, and the provider's authorization URL of a new flow.
 */
@RequestScoped
public class SsoBrowser {
  static final String FLOW_COOKIE = "tether_sso";

  @Inject OidcProviders providers;
  @Inject OidcFlows flows;
  @Inject CurrentPrincipal current;
  @Inject CurrentVertxRequest request;
  @Inject WebSessionCookie sessionCookie;

  private String browser;

  /** Starts a flow; the answer that sends the browser there must set {@link #flowCookie}. */
  URI authorizeUrl(OidcProviderSettings provider, Long linkUserId, Long invitationId) {
    ProviderClient.Metadata metadata = providers.metadata(provider);
    OidcFlows.Started s = flows.start(provider.name(), browser(), linkUserId, invitationId);
    String query =
        Stream.of(
                "response_type=code",
                "client_id=" + ProviderClient.encode(provider.clientId()),
                "redirect_uri=" + ProviderClient.encode(redirectUri(provider.name())),
                "scope=" + ProviderClient.encode(String.join(" ", provider.scopes())),
                "state=" + s.state(),
                "nonce=" + s.nonce(),
                "code_challenge=" + Pkce.challenge(s.verifier()),
                "code_challenge_method=S256")
            .collect(Collectors.joining("&"));
    String endpoint = metadata.authorizationEndpoint().toString();
    return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + query);
  }

  /** {@code {public URL}/api/auth/oidc/{name}/callback}; without a public URL, this request's. */
  String redirectUri(String name) {
    return current.portalUrl() + "/api/auth/oidc/" + name + "/callback";
  }

  /** This browser's flow value: the cookie's when it has one, else a new one (set on answer). */
  private String browser() {
    if (browser == null) {
      Cookie c = request.getCurrent().request().getCookie(flowCookieName());
      browser =
          c != null && c.getValue().length() >= 40 && c.getValue().length() <= 64
              ? c.getValue()
              : OidcFlows.random();
    }
    return browser;
  }

  NewCookie flowCookie() {
    return new NewCookie.Builder(flowCookieName())
        .value(browser())
        .path("/")
        .maxAge((int) OidcFlows.LIFETIME.toSeconds())
        .httpOnly(true)
        .secure(secure())
        .sameSite(NewCookie.SameSite.LAX)
        .build();
  }

  NewCookie clearFlowCookie() {
    return new NewCookie.Builder(flowCookieName())
        .value("")
        .path("/")
        .maxAge(0)
        .httpOnly(true)
        .secure(secure())
        .sameSite(NewCookie.SameSite.LAX)
        .build();
  }

  String flowCookieName() {
    return secure() ? "__Host-" + FLOW_COOKIE : FLOW_COOKIE;
  }

  private boolean secure() {
    return sessionCookie.name(current.tls()).startsWith("__Host-");
  }
}
