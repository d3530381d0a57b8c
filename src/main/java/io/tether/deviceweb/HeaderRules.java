package io.tether.deviceweb;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What changes in headers between the browser and a device page (docs/device-web.md): Tether's
 * cookie never reaches the device, a device cookie never claims Tether's name or a wider {@code
 * Domain}, redirects to the device's own address stay on its origin, nothing else is rewritten.
 */
final class HeaderRules {
  /** The cookie that admits a browser to one device origin. */
  static final String COOKIE = "__Host-tether_web";

  /** Connection-level headers (RFC 9110 section 7.6.1): each hop sets its own. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length");

  /** A target address as the agent describes it: {@code tcp host:port}. */
  private static final Pattern ADDRESS =
      Pattern.compile("tcp ([A-Za-z0-9.:\\[\\]-]{1,253}):([0-9]{1,5})");

  private HeaderRules() {}

  /**
   * The Host a device expects: the address its agent reaches it at (from the target's description),
   * without the scheme's default port; the target name when none is known.
   */
  static String deviceHost(String description, String target, String scheme) {
    var m = description == null ? null : ADDRESS.matcher(description);
    if (m == null || !m.matches()) {
      return target;
    }
    String port = m.group(2);
    boolean usual = scheme.equals("https") ? port.equals("443") : port.equals("80");
    return usual ? m.group(1) : m.group(1) + ":" + port;
  }

  /** Whether a request header goes to the device as is (the rest are set or filtered here). */
  static boolean forwarded(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return !HOP_BY_HOP.contains(n) && !n.equals("cookie") && !n.startsWith("sec-websocket-");
  }

  /** The Cookie header without Tether's cookie; null when nothing is left. */
  static String deviceCookies(String header) {
    if (header == null) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    for (String part : header.split(";")) {
      String p = part.trim();
      if (!p.isEmpty() && !tethers(p.split("=", 2)[0].trim())) {
        kept.add(p);
      }
    }
    return kept.isEmpty() ? null : String.join("; ", kept);
  }

  /** Whether a cookie name is one of Tether's (never set by, nor sent to, a device). */
  static boolean tethers(String cookieName) {
    String n = cookieName.toLowerCase(Locale.ROOT);
    return n.equals(COOKIE.toLowerCase(Locale.ROOT))
        || n.startsWith("tether_")
        || n.startsWith("__host-tether")
        || n.startsWith("__secure-tether");
  }

  /**
   * A device's Set-Cookie as the browser gets it: null (dropped) when it names Tether's cookie;
   * without {@code Domain=}, so it stays on this device's host.
   */
  static String setCookie(String value) {
    String name = value.split("=", 2)[0].trim();
    if (tethers(name)) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    for (String attribute : value.split(";")) {
      if (!attribute.trim().toLowerCase(Locale.ROOT).startsWith("domain=")) {
        kept.add(attribute.trim());
      }
    }
    return String.join("; ", kept);
  }

  /**
   * A redirect's Location: an absolute URL naming the device's own address becomes the same path on
   * the device's origin; any other URL (relative, or another site) is left alone.
   */
  static String location(String value, String deviceHost, String origin) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || uri.getRawAuthority() == null) {
        return value;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return value;
      }
      String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
      String bare = authority.replaceFirst(":(80|443)$", "");
      if (!authority.equals(deviceHost.toLowerCase(Locale.ROOT))
          && !bare.equals(deviceHost.toLowerCase(Locale.ROOT))) {
        return value;
      }
      String rest = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (uri.getRawQuery() != null) {
        rest += "?" + uri.getRawQuery();
      }
      if (uri.getRawFragment() != null) {
        rest += "#" + uri.getRawFragment();
      }
      return origin + rest;
    } catch (java.net.URISyntaxException e) {
      return value;
    }
  }

  /**
   * Whether a response header is passed to the browser (framing is Vert.x's to set). A device's
   * CORS grants ({@code Access-Control-Allow-*}) are dropped: no other origin may read a device
   * page.
   */
  static boolean returned(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return !HOP_BY_HOP.contains(n)
        && !n.equals("referrer-policy")
        && !n.startsWith("access-control-allow-");
  }

  /**
   * Why a request was made by another origin's page and must not reach the device; null when it
   * may. Device origins share one site (the web domain), so their SameSite cookies go along on
   * requests between them: a request with another {@code Origin} (another device page, the portal,
   * any site) is refused, and so is one a page of another origin fetched or embedded ({@code
   * Sec-Fetch-Site} {@code same-site} or {@code cross-site}) unless it is a navigation, which the
   * user sees and no page reads.
   */
  static String foreign(String ownOrigin, String origin, String fetchSite, String fetchMode) {
    if (origin != null && !origin.equalsIgnoreCase(ownOrigin)) {
      return "a request from " + origin;
    }
    boolean otherSite = "same-site".equals(fetchSite) || "cross-site".equals(fetchSite);
    if (otherSite && !"navigate".equals(fetchMode)) {
      return "a request another origin's page made (" + fetchSite + ", " + fetchMode + ")";
    }
    return null;
  }
}
