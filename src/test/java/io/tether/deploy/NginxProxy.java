package io.tether.deploy;

import io.tether.testing.Build;
import io.tether.testing.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx with deploy/nginx/tether.conf: its name, ports and certificate replaced (a
 * throwaway one made with openssl, the {@code --ca} of agents and the CLI) and the tunnel's read
 * timeout shortened. {@link #untrusted} makes it reach the portal from 127.0.0.3, an address the
 * portal does not trust as a proxy.
 */
final class NginxProxy extends ReverseProxy {
  private SelfSignedCertificate certificate;

  private NginxProxy(String name, int httpsPort, int httpPort) {
    super(name, httpsPort, httpPort);
  }

  /** nginx as deploy/ has it, which the portal trusts (it connects from 127.0.0.1). */
  static NginxProxy start(int httpsPort, int httpPort, int portalPort, Duration tunnelTimeout) {
    return start("nginx", httpsPort, httpPort, portalPort, tunnelTimeout, null, null);
  }

  /**
   * With {@code webDomain} (a device-web domain's host), the file's commented device-page server
   * too, uncommented as its words say, with a wildcard certificate for the domain.
   */
  static NginxProxy start(
      int httpsPort, int httpPort, int portalPort, Duration tunnelTimeout, String webDomain) {
    return start("nginx", httpsPort, httpPort, portalPort, tunnelTimeout, null, webDomain);
  }

  /** The same, connecting to the portal from 127.0.0.3: a proxy the portal does not trust. */
  static NginxProxy untrusted(int httpsPort, int httpPort, int portalPort) {
    return start(
        "nginx-untrusted",
        httpsPort,
        httpPort,
        portalPort,
        Duration.ofSeconds(120),
        "127.0.0.3",
        null);
  }

  private static NginxProxy start(
      String name,
      int httpsPort,
      int httpPort,
      int portalPort,
      Duration tunnelTimeout,
      String bind,
      String webDomain) {
    NginxProxy nginx = new NginxProxy(name, httpsPort, httpPort);
    try {
      nginx.certificate =
          SelfSignedCertificate.create(
              nginx.dir, "127.0.0.1", webDomain == null ? List.of() : List.of("*." + webDomain));
      String text = Files.readString(Build.dir().getParent().resolve("deploy/nginx/tether.conf"));
      if (webDomain != null) {
        text = devicePages(text, webDomain);
      }
      text = edit(text, "    listen [::]:80;\n", "");
      text = edit(text, "    listen [::]:443 ssl http2;\n", "");
      text = edit(text, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
      text = edit(text, "listen 443 ssl", "listen 127.0.0.1:" + httpsPort + " ssl");
      text = edit(text, "server_name tether.example.com;", "server_name 127.0.0.1;");
      text =
          edit(
              text,
              "/etc/letsencrypt/live/tether.example.com/fullchain.pem",
              nginx.certificate.certificate().toString());
      text =
          edit(
              text,
              "/etc/letsencrypt/live/tether.example.com/privkey.pem",
              nginx.certificate.privateKey().toString());
      text = edit(text, "server 127.0.0.1:8080;", "server 127.0.0.1:" + portalPort + ";");
      String timeout = tunnelTimeout.toSeconds() + "s;";
      text = edit(text, "proxy_read_timeout 120s;", "proxy_read_timeout " + timeout);
      text = edit(text, "proxy_send_timeout 120s;", "proxy_send_timeout " + timeout);
      if (bind != null) {
        text =
            edit(
                text,
                "proxy_http_version 1.1;",
                "proxy_http_version 1.1;\n    proxy_bind " + bind + ";");
      }
      Path site = nginx.dir.resolve("tether.conf");
      Files.writeString(site, text);
      Path temp = nginx.dir.resolve("temp");
      Files.createDirectories(temp);
      Path config = nginx.dir.resolve("nginx.conf");
      Files.writeString(
          config,
          String.join(
              "\n",
              "daemon off;",
              "worker_processes 1;",
              "user root;",
              "pid " + nginx.dir.resolve("nginx.pid") + ";",
              "error_log " + nginx.errorLog() + " info;",
              "events { worker_connections 512; }",
              "http {",
              "  access_log " + nginx.dir.resolve("access.log") + ";",
              "  client_body_temp_path " + temp.resolve("body") + ";",
              "  proxy_temp_path " + temp.resolve("proxy") + ";",
              "  fastcgi_temp_path " + temp.resolve("fastcgi") + ";",
              "  uwsgi_temp_path " + temp.resolve("uwsgi") + ";",
              "  scgi_temp_path " + temp.resolve("scgi") + ";",
              "  include " + site + ";",
              "}",
              ""));
      nginx.launch(List.of("nginx", "-p", nginx.dir.toString(), "-c", config.toString()), Map.of());
      return nginx;
    } catch (Exception e) {
      nginx.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** The file's commented device-page server, uncommented as its words say. */
  private static String devicePages(String text, String webDomain) {
    int at = text.indexOf("\n# server {\n");
    if (at < 0) {
      throw new AssertionError("deploy/nginx/tether.conf no longer has its device-page server");
    }
    String server =
        text.substring(at + 1)
            .lines()
            .filter(line -> line.startsWith("#"))
            .map(line -> line.replaceFirst("^# ?", ""))
            .map(line -> line.replace("devices.example-devices.net", webDomain))
            .map(line -> line.replace("/etc/letsencrypt/live/" + webDomain + "/", "LIVE/"))
            .collect(java.util.stream.Collectors.joining("\n"));
    // the portal's certificate paths: the edits below give both servers the test's (wildcard) one,
    // and their listen lines the test's port
    server =
        server
            .replace("LIVE/fullchain.pem", "/etc/letsencrypt/live/tether.example.com/fullchain.pem")
            .replace("LIVE/privkey.pem", "/etc/letsencrypt/live/tether.example.com/privkey.pem");
    return text + "\n" + server + "\n";
  }

  @Override
  Path ca() {
    return certificate.certificate();
  }

  @Override
  Path errorLog() {
    return dir.resolve("error.log");
  }
}
