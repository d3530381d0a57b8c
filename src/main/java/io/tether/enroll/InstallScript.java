package io.tether.enroll;

import io.tether.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** install-agent.sh with this portal's URLs, version and package checksum filled in. */
@ApplicationScoped
public class InstallScript {
  /**
   * A URL that can stand in a single-quoted shell string and a sed-free env line: no quotes, no
   * spaces, nothing a shell would read.
   */
  private static final Pattern PLAIN_URL =
      Pattern.compile("https?://[A-Za-z0-9.\\[\\]:-]+(/[A-Za-z0-9._~/-]*)?");

  private final String template = load();

  /** The one-liner a device's admin runs (the token is asked for, never on the command line). */
  static String command(String portalUrl) {
    return "curl -fsSL " + portalUrl + "/downloads/install-agent.sh | sudo sh -s -- --name NAME";
  }

  /** TETHER_PUBLIC_URL if set, else the URL this request came to; without a trailing slash. */
  String portalUrl(Optional<String> publicUrl, URI requestBase) {
    String url = publicUrl.filter(u -> !u.isBlank()).orElse(requestBase.toString());
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    if (!PLAIN_URL.matcher(url).matches()) {
      throw ApiException.badRequest(
          "Host", "the portal's URL " + url + " cannot be put in a script: set TETHER_PUBLIC_URL");
    }
    return url;
  }

  /** {@code upgradeKey}: the PEM of the agent signing key, for /etc/tether/upgrade.pub. */
  String render(String portalUrl, String version, String debSha256, String upgradeKey) {
    String tunnel = portalUrl.replaceFirst("^http", "ws") + "/tunnel";
    return template
        .replace("@PORTAL@", portalUrl)
        .replace("@TUNNEL@", tunnel)
        .replace("@VERSION@", version)
        .replace("@DEB_VERSION@", AgentDownloads.debianVersion(version))
        .replace("@DEB_SHA256@", debSha256)
        .replace("@UPGRADE_KEY@", upgradeKey.strip());
  }

  private static String load() {
    try (InputStream in = InstallScript.class.getResourceAsStream("install-agent.sh")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
