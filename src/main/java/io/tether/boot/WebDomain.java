package io.tether.boot;

import io.tether.net.IpLiteral;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code TETHER_WEB_DOMAIN}: where device web pages are served, each on {@code d-<label>.<host>}
 * (docs/device-web.md). A device page is untrusted code, so its origin must share nothing with the
 * portal's: not its host, not a parent or child of it, not its registrable domain (cookies with
 * {@code Domain=} cross that), and it is served over HTTPS.
 *
 * @param scheme https (http only under the loopback test switch)
 * @param host lowercase, no trailing dot
 * @param port -1 for the scheme's default
 */
public record WebDomain(String scheme, String host, int port) {
  /**
   * Second-level labels under which a country's registrable domains sit one label deeper (the plain
   * check of {@link #registrable}: co.uk, com.au, …); not the Public Suffix List.
   */
  private static final Set<String> COUNTRY_SECOND_LEVELS =
      Set.of("co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "gv", "mil");

  /** Parses {@code https://web.example.net[:port]} or a bare {@code web.example.net}. */
  public static WebDomain parse(String variable, String value) {
    String text = value.contains("://") ? value : "https://" + value;
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost();
      boolean bare =
          (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
              && uri.getQuery() == null
              && uri.getUserInfo() == null
              && uri.getFragment() == null;
      if ((scheme.equals("http") || scheme.equals("https"))
          && host != null
          && bare
          && !IpLiteral.isLiteral(host)
          && host.contains(".")) {
        return new WebDomain(scheme, host.toLowerCase(Locale.ROOT), uri.getPort());
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new SettingException(
        variable,
        "'"
            + value
            + "' is not a domain name for device pages (web.example.net or"
            + " https://web.example.net[:port]; no path, not an IP address)");
  }

  /**
   * Refuses a web domain that could share cookies or an origin with the portal at {@code
   * publicUrl}; {@code insecureLoopback} (tests only) allows plain http for a {@code .localhost}
   * domain, which browsers resolve to loopback and treat as a secure context.
   */
  public static WebDomain check(
      String value, Optional<String> publicUrl, boolean insecureLoopback) {
    String variable = Setting.WEB_DOMAIN.variable();
    WebDomain web = parse(variable, value);
    if (web.scheme.equals("http")
        && !(insecureLoopback
            && (web.host.equals("localhost") || web.host.endsWith(".localhost")))) {
      throw new SettingException(
          variable,
          "'"
              + value
              + "' is not served over HTTPS: device pages need https:// (the cookie that admits"
              + " a browser is Secure)");
    }
    if (publicUrl.isEmpty()) {
      throw new SettingException(
          variable,
          "needs TETHER_PUBLIC_URL: the portal's own host must be known to keep device pages off"
              + " it");
    }
    String portal = URI.create(publicUrl.get()).getHost().toLowerCase(Locale.ROOT);
    String why = null;
    if (web.host.equals(portal)) {
      why = "is the portal's own host";
    } else if (portal.endsWith("." + web.host)) {
      why = "is a parent of the portal's host " + portal;
    } else if (web.host.endsWith("." + portal)) {
      why = "is below the portal's host " + portal;
    } else if (registrable(web.host).equals(registrable(portal))) {
      why = "shares the registrable domain " + registrable(portal) + " with the portal";
    }
    if (why != null) {
      throw new SettingException(
          variable,
          "'"
              + value
              + "' "
              + why
              + ": device pages would share cookies with the portal; use a domain of its own"
              + " (e.g. example-devices.net)");
    }
    return web;
  }

  /**
   * The registrable domain as far as a plain check can tell: the last two labels, or three under a
   * country's second level (example.co.uk); an IP address is its own.
   */
  static String registrable(String host) {
    if (IpLiteral.isLiteral(host)) {
      return host;
    }
    String[] labels = host.split("\\.");
    int n = labels.length;
    if (n <= 2) {
      return host;
    }
    boolean countrySecondLevel =
        labels[n - 1].length() == 2
            && (COUNTRY_SECOND_LEVELS.contains(labels[n - 2]) || labels[n - 2].length() == 2);
    int keep = countrySecondLevel ? 3 : 2;
    return String.join(".", java.util.Arrays.copyOfRange(labels, n - keep, n));
  }

  /** The origin of the device page whose host label is {@code label} ({@code d-…}). */
  public String origin(String label) {
    return scheme + "://" + label + "." + host + (port < 0 ? "" : ":" + port);
  }

  /**
   * The host label of a Host header under this domain ({@code d-…}), empty when the header names a
   * host outside it; a host under it that is not one label deep answers "" (unknown).
   */
  public Optional<String> labelOf(String hostHeader) {
    if (hostHeader == null) {
      return Optional.empty();
    }
    String h = hostHeader.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon) {
      h = h.substring(0, colon);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals(host)) {
      return Optional.of("");
    }
    if (!h.endsWith("." + host)) {
      return Optional.empty();
    }
    String label = h.substring(0, h.length() - host.length() - 1);
    return Optional.of(label.contains(".") ? "" : label);
  }
}
