package io.tether.webhook;

import io.tether.net.IpLiteral;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST to an address already checked by the {@link AddressGuard}: the connection goes
 * to that address, never to a second lookup of the name (DNS rebinding), with the URL's host in
 * {@code Host}, in SNI and in the certificate check. Redirects are answers like any other: never
 * followed. The whole exchange has one deadline; only the first {@link #RESPONSE_KEEP} bytes of the
 * answer are read.
 */
final class HttpPost {
  /** How long one attempt may take, from connect to the answer's last kept byte. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Bytes of the answer kept for the delivery log. */
  static final int RESPONSE_KEEP = 1024;

  /** A status line or header longer than this is not HTTP we take. */
  private static final int LINE_MAX = 8192;

  record Answer(int status, Optional<Duration> retryAfter, String body) {}

  private HttpPost() {}

  static Answer send(
      URI url, InetAddress address, Map<String, String> headers, String body, SSLSocketFactory tls)
      throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    boolean https = "https".equals(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    String host = url.getHost().replaceAll("^\\[|\\]$", ""); // an IPv6 literal without brackets
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), remaining(deadline));
      Socket socket = https ? tls(tls, plain, host, port) : plain;
      socket.setSoTimeout(remaining(deadline));
      byte[] payload = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(head(url, host, port, https, headers, payload.length));
      out.write(payload);
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()), socket, deadline);
    }
  }

  private static Socket tls(SSLSocketFactory factory, Socket plain, String host, int port)
      throws IOException {
    SSLSocket ssl = (SSLSocket) factory.createSocket(plain, host, port, true);
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
    if (!IpLiteral.isLiteral(host)) {
      params.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(params);
    ssl.startHandshake();
    return ssl;
  }

  private static byte[] head(
      URI url, String host, int port, boolean https, Map<String, String> headers, int length) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
    boolean defaultPort = port == (https ? 443 : 80);
    String hostHeader =
        (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
    StringBuilder head = new StringBuilder();
    head.append("POST ").append(path).append(query).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(hostHeader).append("\r\n");
    head.append("Content-Type: application/json\r\n");
    head.append("Content-Length: ").append(length).append("\r\n");
    head.append("Connection: close\r\n");
    head.append("User-Agent: tether-webhooks\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Answer read(InputStream in, Socket socket, long deadline) throws IOException {
    String status = line(in, socket, deadline);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
      throw new IOException("not an HTTP answer: " + cut(status, 80));
    }
    Optional<Duration> retryAfter = Optional.empty();
    for (String header = line(in, socket, deadline);
        !header.isEmpty();
        header = line(in, socket, deadline)) {
      int colon = header.indexOf(':');
      if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("Retry-After")) {
        retryAfter = retryAfter(header.substring(colon + 1).trim());
      }
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[RESPONSE_KEEP];
    try {
      while (kept.size() < RESPONSE_KEEP) {
        socket.setSoTimeout(remaining(deadline));
        int n = in.read(buffer, 0, RESPONSE_KEEP - kept.size());
        if (n < 0) {
          break;
        }
        kept.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // the status is what counts; a body that trickles is cut where it stopped
    }
    return new Answer(
        Integer.parseInt(parts[1]), retryAfter, kept.toString(StandardCharsets.UTF_8));
  }

  /** {@code Retry-After}: seconds, or an HTTP date. */
  static Optional<Duration> retryAfter(String value) {
    try {
      if (value.matches("\\d{1,9}")) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      }
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String line(InputStream in, Socket socket, long deadline) throws IOException {
    socket.setSoTimeout(remaining(deadline));
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed before the answer's head ended");
      }
      if (line.size() >= LINE_MAX) {
        throw new IOException("an answer line longer than " + LINE_MAX + " bytes");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static int remaining(long deadline) throws SocketTimeoutException {
    long ms = (deadline - System.nanoTime()) / 1_000_000;
    if (ms <= 0) {
      throw new SocketTimeoutException("no answer within " + TIMEOUT.toSeconds() + " s");
    }
    return (int) ms;
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
