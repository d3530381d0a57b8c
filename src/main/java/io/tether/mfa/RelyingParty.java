package io.tether.mfa;

import io.tether.access.OriginPolicy;
import java.net.URI;
import java.util.Locale;

/**
 * Who WebAuthn credentials are for: the portal's origin and its host as the rpId. Keys are bound to
 * the rpId by the browser, so a key made at one host name never signs in at another.
 *
 * @param id the rpId: the host of the portal's public URL, no port
 * @param origin the origin the browser reports in its client data, scheme, host and port
 */
public record RelyingParty(String id, String origin) {
  /** Shown by the browser and the authenticator beside the account. */
  public static final String NAME = "Tether";

  /** The relying party of a portal reached at {@code url} (its public URL or this request's). */
  public static RelyingParty of(String url) {
    URI uri = URI.create(url);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + url);
    }
    return new RelyingParty(
        uri.getHost().toLowerCase(Locale.ROOT),
        OriginPolicy.originOf(url).toLowerCase(Locale.ROOT)); // as browsers serialise an origin
  }
}
