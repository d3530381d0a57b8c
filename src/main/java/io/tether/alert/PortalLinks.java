package io.tether.alert;

import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where links in mail point: {@code TETHER_PUBLIC_URL}, else this host's name and HTTP port (right
 * on a LAN, wrong behind a proxy: docs/alerts.md asks for the public URL).
 */
@ApplicationScoped
public class PortalLinks {
  @Inject TetherConfig config;

  @ConfigProperty(name = "quarkus.http.port")
  int httpPort;

  public String base() {
    String url = config.publicUrl().filter(u -> !u.isBlank()).orElse(null);
    if (url != null) {
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
    try {
      return "http://" + InetAddress.getLocalHost().getHostName() + ":" + httpPort;
    } catch (IOException e) {
      return "http://localhost:" + httpPort;
    }
  }
}
