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
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds the HTTP client: custom CA file, HTTP proxy with Basic auth. */
public final class ClientTls {
  private ClientTls() {}

  /**
   * The JDK disables Basic auth for proxy CONNECT tunnels by default; corporate proxies need it.
   * Must run before the first HttpClient is created.
   */
  public static void allowBasicProxyAuth() {
    System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
  }

  /**
   * The client runs its callbacks on its own selector thread instead of handing each received
   * message to a pool thread: one thread wake-up less per frame (keystroke echo p99 through the
   * portal fell from about 2.5 ms to about 1 ms, docs/benchmarks.md P3). Safe because every {@link
   * FrameSocket.Handler} only decodes, queues or sends without blocking; anything that blocks (a
   * target connect, a serial LINE change) is passed to its own executor.
   */
  private static final Executor SAME_THREAD = Runnable::run;

  public static HttpClient client(Path caFile, URI proxy)
      throws IOException, GeneralSecurityException {
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(FrameSocket.CONNECT_TIMEOUT).executor(SAME_THREAD);
    if (caFile != null) {
      builder.sslContext(trusting(caFile));
    }
    if (proxy != null) {
      int port = proxy.getPort() == -1 ? 3128 : proxy.getPort();
      builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), port)));
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
