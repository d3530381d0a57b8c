package io.tether.deploy;

import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A reverse proxy from deploy/ (Caddy or nginx) run by a test on loopback ports in front of a
 * portal: the config file a user installs, with only what a user edits replaced (name, ports,
 * certificate) and the proxy's idle timeout shortened. Stopped by {@link #close()}.
 */
abstract class ReverseProxy implements AutoCloseable {
  /** Caddy or nginx starting on a busy 2-core machine (Caddy also makes its CA). */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  final String name;
  final Path dir;
  final int httpsPort;
  final int httpPort;
  private Process process;

  ReverseProxy(String name, int httpsPort, int httpPort) {
    this.name = name;
    this.dir = Build.workDir(name);
    this.httpsPort = httpsPort;
    this.httpPort = httpPort;
  }

  /** The PEM certificate a client trusts to reach the proxy (agent and CLI: --ca). */
  abstract Path ca();

  /** Where the proxy writes what it has to say when it fails. */
  abstract Path errorLog();

  /** The portal's origin through this proxy. */
  String base() {
    return "https://127.0.0.1:" + httpsPort;
  }

  /** Where agents dial through this proxy. */
  String tunnelUrl() {
    return "wss://127.0.0.1:" + httpsPort + "/tunnel";
  }

  /** Starts {@code command} and waits until the portal answers ready through it. */
  void launch(List<String> command, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(dir.resolve("proxy.out").toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    }
    try {
      Await.until(
          "the portal to answer ready through " + name,
          START_TIMEOUT,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError(name + " exited with " + process.exitValue());
            }
            return Files.exists(ca()) && status("/q/health/ready") == 200;
          });
    } catch (AssertionError e) {
      close();
      throw new AssertionError(e.getMessage() + "; " + name + " said:\n" + logs(), e);
    }
  }

  String logs() {
    StringBuilder all = new StringBuilder();
    for (Path p : List.of(dir.resolve("proxy.out"), errorLog())) {
      try {
        all.append(Files.readString(p));
      } catch (IOException e) {
        all.append("(no ").append(p.getFileName()).append(")\n");
      }
    }
    return all.toString();
  }

  SSLContext trust() {
    try {
      return new SelfSignedCertificate(ca(), null).trustingContext();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + ca(), e);
    }
  }

  HttpClient client() {
    return HttpClient.newBuilder()
        .sslContext(trust())
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** GET through the proxy. */
  HttpResponse<String> get(String path) throws IOException {
    try {
      return client()
          .send(
              HttpRequest.newBuilder(URI.create(base() + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The status of a GET through the proxy; 0 while it does not answer. */
  int status(String path) {
    try {
      return get(path).statusCode();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Base64 SHA-256 of the public key of every certificate the proxy presents: what Chromium's
   * --ignore-certificate-errors-spki-list accepts in place of a CA in its (NSS) trust store.
   */
  String spkiHashes() {
    try (SSLSocket socket =
        (SSLSocket) trust().getSocketFactory().createSocket("127.0.0.1", httpsPort)) {
      socket.startHandshake();
      List<String> hashes = new ArrayList<>();
      for (Certificate c : socket.getSession().getPeerCertificates()) {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded());
        hashes.add(Base64.getEncoder().encodeToString(sha));
      }
      return String.join(",", hashes);
    } catch (Exception e) {
      throw new AssertionError("TLS handshake with " + name + " failed", e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** Replaces {@code what} in a config file's text; fails if the file no longer has it. */
  static String edit(String text, String what, String with) {
    if (!text.contains(what)) {
      throw new AssertionError("the config no longer contains \"" + what + "\"");
    }
    return text.replace(what, with);
  }
}
