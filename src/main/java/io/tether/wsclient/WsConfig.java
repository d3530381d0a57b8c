package io.tether.wsclient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/**
 * How the WebSocket client reaches the portal: whom it trusts for TLS and the HTTP proxy, if any
 * ({@code http://user:password@host:port}; Basic credentials are sent with the CONNECT).
 */
public record WsConfig(SSLContext tls, URI proxy, String capabilities) {
  /** No capabilities header: what the CLI and the tests use. */
  public WsConfig(SSLContext tls, URI proxy) {
    this(tls, proxy, null);
  }

  /**
   * The same, with {@code X-Tether-Agent-Capabilities: capabilities} on the upgrade request (the
   * agent's; protocol.md section 2).
   */
  public WsConfig withCapabilities(String names) {
    return new WsConfig(tls, proxy, names);
  }

  /** The proxy port when the URI names none (Squid's). */
  static final int DEFAULT_PROXY_PORT = 3128;

  /** Trusts the JVM's CAs, or only those of {@code caFile}; {@code proxy} may be null. */
  public static WsConfig of(Path caFile, URI proxy) throws IOException, GeneralSecurityException {
    return new WsConfig(
        caFile == null ? SSLContext.getDefault() : ClientTls.trusting(caFile), proxy);
  }

  int proxyPort() {
    return proxy.getPort() == -1 ? DEFAULT_PROXY_PORT : proxy.getPort();
  }
}
