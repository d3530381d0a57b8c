package io.tether.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.Build;
import io.tether.testing.SelfSignedCertificate;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An https webhook goes to the address the guard checked, yet the certificate is checked against
 * the URL's host name (sent in SNI): a pinned address never weakens TLS. The server's certificate
 * names {@code localhost} and 127.0.0.1 only.
 */
class HttpPostTlsTest {
  private static SelfSignedCertificate cert;
  private static SSLServerSocket server;
  private static final CompletableFuture<String> request = new CompletableFuture<>();

  @BeforeAll
  static void serve() throws Exception {
    cert = SelfSignedCertificate.create(Build.workDir("webhook-tls"), "127.0.0.1");
    SSLContext context = SSLContext.getInstance("TLS");
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore(), new char[0]);
    context.init(kmf.getKeyManagers(), null, null);
    server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                  InputStream in = s.getInputStream();
                  byte[] head = new byte[4096];
                  int n = in.read(head);
                  request.complete(new String(head, 0, Math.max(n, 0), StandardCharsets.UTF_8));
                  OutputStream out = s.getOutputStream();
                  out.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes());
                  out.flush();
                } catch (Exception e) {
                  // a refused handshake: the client side asserts on it
                }
              }
            },
            "tls-receiver");
    t.setDaemon(true);
    t.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static KeyStore keyStore() throws Exception {
    String pem = Files.readString(cert.privateKey());
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    Certificate c;
    try (InputStream in = Files.newInputStream(cert.certificate())) {
      c = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("receiver", key, new char[0], new Certificate[] {c});
    return ks;
  }

  @Test
  void theCertificateIsCheckedAgainstTheUrlsHostWhileConnectingToThePinnedAddress()
      throws Exception {
    URI url = URI.create("https://localhost:" + server.getLocalPort() + "/hook");
    HttpPost.Answer answer =
        HttpPost.send(
            url,
            InetAddress.getLoopbackAddress(),
            Map.of("webhook-id", "msg_1"),
            "{}",
            cert.trustingContext().getSocketFactory());
    assertEquals(204, answer.status());
    assertTrue(request.get().contains("Host: localhost:" + server.getLocalPort()), request.get());
  }

  @Test
  void aCertificateThatDoesNotNameTheUrlsHostIsRefusedThoughTheAddressMatches() {
    URI url = URI.create("https://receiver.example:" + server.getLocalPort() + "/hook");
    assertThrows(
        SSLHandshakeException.class,
        () ->
            HttpPost.send(
                url,
                InetAddress.getLoopbackAddress(),
                Map.of(),
                "{}",
                cert.trustingContext().getSocketFactory()));
  }
}
