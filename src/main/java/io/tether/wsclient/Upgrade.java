package io.tether.wsclient;

import io.tether.protocol.AgentCapabilities;
import io.tether.protocol.ProtocolVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/** The HTTP/1.1 upgrade to a WebSocket (RFC 6455 section 4.1) and the checks of its answer. */
final class Upgrade {
  /** RFC 6455's fixed GUID, hashed with the key into Sec-WebSocket-Accept. */
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final String key;

  Upgrade(SecureRandom random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    this.key = Base64.getEncoder().encodeToString(nonce);
  }

  /** {@code capabilities}: the agent's capabilities header value, or null for none. */
  String request(URI uri, String token, String capabilities) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    int defaultPort = "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    String host =
        uri.getPort() == -1 || uri.getPort() == defaultPort
            ? uri.getHost()
            : uri.getHost() + ":" + uri.getPort();
    return "GET "
        + path
        + " HTTP/1.1\r\nHost: "
        + host
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
        + key
        + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: "
        + ProtocolVersion.SUBPROTOCOL
        + "\r\nAuthorization: Bearer "
        + token
        + "\r\n"
        + FrameSocket.TOKEN_HEADER
        + ": "
        + token
        + "\r\n"
        + (capabilities == null
            ? ""
            : AgentCapabilities.HEADER + ": " + capabilities.replaceAll("[\r\n]", "") + "\r\n")
        + "\r\n";
  }

  /** Refuses anything but a 101 that proves it read our key and took our subprotocol. */
  void verify(HttpHead answer) throws IOException {
    if (answer.status() != 101) {
      throw new UpgradeRefused(answer.status(), answer.reason(), answer.headers());
    }
    if (!answer.first("upgrade").equalsIgnoreCase("websocket")
        || !answer.first("connection").toLowerCase(Locale.ROOT).contains("upgrade")) {
      throw new IOException("the server answered 101 without upgrading to a WebSocket");
    }
    if (!answer.first("sec-websocket-accept").equals(accept(key))) {
      throw new IOException("the server's Sec-WebSocket-Accept does not match the key sent");
    }
    String protocol = answer.first("sec-websocket-protocol");
    if (!protocol.equals(ProtocolVersion.SUBPROTOCOL)) {
      throw new IOException(
          "the server did not accept the subprotocol "
              + ProtocolVersion.SUBPROTOCOL
              + (protocol.isEmpty() ? "" : " (it chose " + protocol + ")"));
    }
  }

  static String accept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
