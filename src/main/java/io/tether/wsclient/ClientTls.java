package io.tether.wsclient;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust for the portal's TLS certificate: a custom CA file, for the WebSocket ({@link WsConfig})
 * and for the CLI's REST calls (the JDK's HTTP client).
 */
public final class ClientTls {
  private ClientTls() {}

  /** The HTTP client for REST calls (the CLI's preflight), trusting {@code caFile} if given. */
  public static HttpClient client(Path caFile) throws IOException, GeneralSecurityException {
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(FrameSocket.CONNECT_TIMEOUT);
    if (caFile != null) {
      builder.sslContext(trusting(caFile));
    }
    return builder.build();
  }

  /**
   * The HTTP client for the agent's enrollment: {@code caFile} as above, through the HTTP proxy the
   * tunnel uses ({@code proxy} may be null; user:password in it is sent as Basic).
   */
  public static HttpClient client(Path caFile, URI proxy)
      throws IOException, GeneralSecurityException {
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(FrameSocket.CONNECT_TIMEOUT);
    if (caFile != null) {
      builder.sslContext(trusting(caFile));
    }
    if (proxy != null) {
      builder.proxy(
          ProxySelector.of(
              new InetSocketAddress(
                  proxy.getHost(),
                  proxy.getPort() == -1 ? WsConfig.DEFAULT_PROXY_PORT : proxy.getPort())));
      String userInfo = proxy.getUserInfo();
      if (userInfo != null && userInfo.contains(":")) {
        String user = userInfo.substring(0, userInfo.indexOf(':'));
        char[] password = userInfo.substring(userInfo.indexOf(':') + 1).toCharArray();
        builder.authenticator(
            new Authenticator() {
              @Override
              protected PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY
                    ? new PasswordAuthentication(user, password)
                    : null;
              }
            });
      }
    }
    return builder.build();
  }

  /** Trusts the certificates of a PEM file (in addition to nothing else: a private CA). */
  static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new GeneralSecurityException(caFile + " holds no PEM certificate");
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
