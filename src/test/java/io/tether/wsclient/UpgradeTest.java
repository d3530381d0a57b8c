package io.tether.wsclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolVersion;
import io.tether.testing.Build;
import io.tether.testing.ConnectProxy;
import io.tether.testing.SelfSignedCertificate;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The opening handshake: upgrade, refusals, TLS and the proxy tunnel. */
class UpgradeTest {
  private static Throwable failure(WsConfig config, String url) {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> FrameSocket.connect(config, URI.create(url), "t0ken", new Recorder()).join());
    return e.getCause();
  }

  @Test
  void theUpgradeCarriesTokenHeadersAndTheSubprotocol() throws Exception {
    try (RawServer server = new RawServer(0, RawServer::accepting)) {
      FrameSocket.connect(
              new WsConfig(null, null), URI.create(server.url()), "t0ken", new Recorder())
          .join();
      String request = server.request.get(10, TimeUnit.SECONDS);
      assertTrue(request.startsWith("GET /tunnel HTTP/1.1\r\n"), request);
      assertTrue(request.contains("\r\nAuthorization: Bearer t0ken\r\n"), request);
      assertTrue(request.contains("\r\nX-Tether-Token: t0ken\r\n"), request);
      assertTrue(
          request.contains("\r\nSec-WebSocket-Protocol: " + ProtocolVersion.SUBPROTOCOL), request);
    }
  }

  @Test
  void anUpgradeRefusedWith503SurfacesTheStatusAndRetryAfter() throws Exception {
    try (RawServer server =
        new RawServer(
            0,
            key ->
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Length: 4\r\n\r\nbusy")) {
      UpgradeRefused refused =
          assertInstanceOf(UpgradeRefused.class, failure(new WsConfig(null, null), server.url()));
      assertEquals(503, refused.status());
      assertEquals(Optional.of("2"), refused.header("Retry-After"));
    }
  }

  @Test
  void aWrongSecWebSocketAcceptIsRefused() throws Exception {
    try (RawServer server = new RawServer(0, key -> RawServer.accepting("not-the-key-we-sent=="))) {
      Throwable cause = failure(new WsConfig(null, null), server.url());
      assertTrue(cause.getMessage().contains("Sec-WebSocket-Accept"), cause.toString());
    }
  }

  @Test
  void anAnswerWithoutTheSubprotocolIsRefused() throws Exception {
    try (RawServer server =
        new RawServer(
            0, key -> RawServer.accepting(key).replace("Sec-WebSocket-Protocol", "X-Other"))) {
      Throwable cause = failure(new WsConfig(null, null), server.url());
      assertTrue(cause.getMessage().contains("subprotocol"), cause.toString());
    }
  }

  @Test
  void tlsWithACustomCaConnectsAndAWrongHostNameIsRefused() throws Exception {
    Path dir = Build.workDir("wsclient-tls");
    SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "127.0.0.1");
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(certificate.certificate().toString())
                    .setKeyPath(certificate.privateKey().toString()));
    CompletableFuture<String> sni = new CompletableFuture<>();
    try (VertxServer server =
        VertxServer.start(
            options,
            ws -> {
              sni.complete(String.valueOf(ws.sslSession() != null));
              ws.writeBinaryMessage(
                  io.vertx.core.buffer.Buffer.buffer(
                      io.tether.protocol.FrameCodec.encode(
                          io.tether.protocol.Frame.control(FrameType.PING, new byte[8]))));
            })) {
      WsConfig trusting = WsConfig.of(certificate.certificate(), null);
      Recorder recorder = new Recorder();
      FrameSocket.connect(
              trusting, URI.create("wss://localhost:" + server.port() + "/tunnel"), "t", recorder)
          .join();
      assertEquals(FrameType.PING, recorder.next().type(), "a frame over TLS");

      Throwable wrongName =
          failure(trusting, "wss://127.0.0.2:" + server.port() + "/tunnel"); // not in the cert
      assertInstanceOf(SSLHandshakeException.class, wrongName, wrongName.toString());

      Throwable untrusted =
          failure(WsConfig.of(null, null), "wss://localhost:" + server.port() + "/tunnel");
      assertInstanceOf(SSLHandshakeException.class, untrusted, untrusted.toString());
    }
  }

  @Test
  void aConnectProxyWithBasicAuthCarriesTheSocket() throws Exception {
    try (ConnectProxy proxy = ConnectProxy.start("tether", "pr0xy-secret");
        VertxServer server =
            VertxServer.start(ws -> ws.binaryMessageHandler(ws::writeBinaryMessage))) {
      WsConfig config =
          new WsConfig(null, URI.create("http://tether:pr0xy-secret@127.0.0.1:" + proxy.port()));
      Recorder recorder = new Recorder();
      FrameSocket socket =
          FrameSocket.connect(config, URI.create(server.url()), "t", recorder).join();
      socket.send(io.tether.protocol.Frame.control(FrameType.PING, new byte[8]));
      assertEquals(FrameType.PING, recorder.next().type(), "echoed through the proxy");
      assertEquals(1, proxy.tunnels());
      assertTrue(proxy.seenCredentials().contains("tether:pr0xy-secret"));

      WsConfig wrong =
          new WsConfig(null, URI.create("http://tether:wrong@127.0.0.1:" + proxy.port()));
      Throwable refused = failure(wrong, server.url());
      assertTrue(refused.getMessage().contains("407"), refused.toString());
    }
  }
}
