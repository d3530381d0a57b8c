package io.tether.deviceweb;

import io.tether.boot.TetherConfig;
import io.tether.boot.WebDomain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** The configured web domain, checked against the portal's host (as at boot). */
@ApplicationScoped
public class WebDomainConfig {
  private final Optional<WebDomain> domain;

  @Inject
  WebDomainConfig(TetherConfig config) {
    this.domain =
        config
            .webDomain()
            .filter(v -> !v.isBlank())
            .map(
                v ->
                    WebDomain.check(
                        v, config.publicUrl(), config.webDomainInsecureLoopbackForTests()));
  }

  public Optional<WebDomain> domain() {
    return domain;
  }
}
