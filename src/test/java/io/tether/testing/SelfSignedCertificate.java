package io.tether.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A throwaway certificate and key in PEM (made with openssl) and a client context trusting it. */
public record SelfSignedCertificate(Path certificate, Path privateKey) {
  public static SelfSignedCertificate create(Path dir, String ip) throws Exception {
    return create(dir, ip, List.of());
  }

  /** The same, also for {@code names} (DNS names; a wildcard such as {@code *.web.localhost}). */
  public static SelfSignedCertificate create(Path dir, String ip, List<String> names)
      throws Exception {
    StringBuilder alt = new StringBuilder("subjectAltName=IP:" + ip + ",DNS:localhost");
    names.forEach(n -> alt.append(",DNS:").append(n));
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=tether-test",
                "-addext",
                alt.toString(),
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "openssl failed: " + Files.readString(dir.resolve("openssl.log")));
    }
    return new SelfSignedCertificate(cert, key);
  }

  public SSLContext trustingContext() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
      trust.setCertificateEntry("portal", c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
