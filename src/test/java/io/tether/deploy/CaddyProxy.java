package io.tether.deploy;

import io.tether.testing.Build;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's Caddy with deploy/caddy/Caddyfile. The test's own Caddyfile imports it after global
 * options that replace ACME with Caddy's internal CA ({@code local_certs}: the {@code tls internal}
 * of every site), since Let's Encrypt cannot be reached from CI; they also keep Caddy on loopback
 * ports, out of the system trust store and its admin endpoint off, and shorten its idle timeout.
 */
final class CaddyProxy extends ReverseProxy {
  private CaddyProxy(int httpsPort, int httpPort) {
    super("caddy", httpsPort, httpPort);
  }

  static CaddyProxy start(int httpsPort, int httpPort, int portalPort, Duration idleTimeout) {
    return start(httpsPort, httpPort, portalPort, idleTimeout, null);
  }

  /**
   * With {@code webDomain} (a device-web domain's host), the file's commented device-page part too,
   * uncommented as its words say: its {@code on_demand_tls} options and its wildcard site.
   */
  static CaddyProxy start(
      int httpsPort, int httpPort, int portalPort, Duration idleTimeout, String webDomain) {
    CaddyProxy caddy = new CaddyProxy(httpsPort, httpPort);
    try {
      Path site = caddy.dir.resolve("site.caddy");
      String file = Files.readString(Build.dir().getParent().resolve("deploy/caddy/Caddyfile"));
      String text = edit(file, "tether.example.com {", "127.0.0.1 {");
      text = edit(text, "reverse_proxy 127.0.0.1:8080", "reverse_proxy 127.0.0.1:" + portalPort);
      List<String> onDemand = List.of();
      if (webDomain != null) {
        List<String> commented = DevicePages.of(file, portalPort, webDomain);
        int siteStart = commented.indexOf("*." + webDomain + " {");
        onDemand = commented.subList(1, commented.indexOf("}")); // inside the global braces
        text += "\n" + String.join("\n", commented.subList(siteStart, commented.size())) + "\n";
      }
      Files.writeString(site, text);
      Path config = caddy.dir.resolve("Caddyfile");
      Files.writeString(
          config,
          String.join(
              "\n",
              "{",
              "\tadmin off",
              "\tlocal_certs",
              "\tskip_install_trust",
              "\tstorage file_system " + caddy.dir.resolve("data"),
              "\thttp_port " + httpPort,
              "\thttps_port " + httpsPort,
              "\tdefault_bind 127.0.0.1",
              String.join("\n", onDemand),
              "\tservers {",
              "\t\tprotocols h1 h2",
              "\t\ttimeouts {",
              "\t\t\tidle " + idleTimeout.toMillis() + "ms",
              "\t\t}",
              "\t}",
              "}",
              "import " + site,
              ""));
      caddy.launch(
          List.of("caddy", "run", "--adapter", "caddyfile", "--config", config.toString()),
          Map.of(
              "HOME", caddy.dir.toString(),
              "XDG_DATA_HOME", caddy.dir.resolve("xdg-data").toString(),
              "XDG_CONFIG_HOME", caddy.dir.resolve("xdg-config").toString()));
      return caddy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Caddyfile's commented device-page part, uncommented, for a test's names and ports. */
  private static final class DevicePages {
    private static final String FROM = "# {";

    static List<String> of(String file, int portalPort, String webDomain) {
      int at = file.indexOf("\n" + FROM + "\n");
      if (at < 0) {
        throw new AssertionError("deploy/caddy/Caddyfile no longer has its device-page part");
      }
      return file.substring(at + 1)
          .lines()
          .filter(line -> line.startsWith("#"))
          .map(line -> line.replaceFirst("^# ?", ""))
          .map(line -> line.replace("devices.example-devices.net", webDomain))
          .map(line -> line.replace("127.0.0.1:8080", "127.0.0.1:" + portalPort))
          .toList();
    }
  }

  @Override
  Path ca() {
    return dir.resolve("data/pki/authorities/local/root.crt");
  }

  @Override
  Path errorLog() {
    return dir.resolve("proxy.out");
  }
}
