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
    return start("nginx", httpsPort, httpPort, portalPort, tunnelTimeout, null);
  }

  /** The same, connecting to the portal from 127.0.0.3: a proxy the portal does not trust. */
  static NginxProxy untrusted(int httpsPort, int httpPort, int portalPort) {
    return start(
        "nginx-untrusted", httpsPort, httpPort, portalPort, Duration.ofSeconds(120), "127.0.0.3");
  }

  private static NginxProxy start(
      String name,
      int httpsPort,
      int httpPort,
      int portalPort,
      Duration tunnelTimeout,
      String bind) {
    NginxProxy nginx = new NginxProxy(name, httpsPort, httpPort);
    try {
      nginx.certificate = SelfSignedCertificate.create(nginx.dir, "127.0.0.1");
      String text = Files.readString(Build.dir().getParent().resolve("deploy/nginx/tether.conf"));
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

  @Override
  Path ca() {
    return certificate.certificate();
  }

  @Override
  Path errorLog() {
    return dir.resolve("error.log");
  }
}
