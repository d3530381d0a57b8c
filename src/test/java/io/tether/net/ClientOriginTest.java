package io.tether.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.ProxyHeaders;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whose connection it is, on a real Vert.x listener: the header is believed only from a trusted
 * peer, anything else is refused with its reason, and the client's first bytes are kept.
 */
class ClientOriginTest {
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
  private static final long WAIT_SECONDS = 5;

  private Vertx vertx;
  private NetServer server;

  /**
   * What the listener made of the connection: its client and the bytes that followed, or why not.
   */
  private final CompletableFuture<ClientOrigin.Client> client = new CompletableFuture<>();

  /** Every byte the client sent after its header, as the next owner of the socket reads them. */
  private final CompletableFuture<String> data = new CompletableFuture<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** A listener whose connections are told apart by {@code origin}; returns its port. */
  private int listen(boolean proxyProtocol, Predicate<String> trusted) throws Exception {
    ClientOrigin origin = new ClientOrigin(proxyProtocol, trusted, vertx, SHORT_TIMEOUT);
    server =
        vertx
            .createNetServer(new NetServerOptions().setHost(LOOPBACK).setPort(0))
            .connectHandler(
                socket ->
                    origin
                        .of(socket)
                        .onSuccess(
                            c -> {
                              Buffer all = c.initial().copy();
                              socket.handler(all::appendBuffer);
                              socket.endHandler(v -> data.complete(all.toString()));
                              socket.resume();
                              client.complete(c);
                            })
                        .onFailure(
                            e -> {
                              socket.close();
                              client.completeExceptionally(e);
                            }));
    TcpListen.bind(server);
    return server.actualPort();
  }

  private static Socket connect(int port) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(LOOPBACK, port), 2000);
    return s;
  }

  private ClientOrigin.Refused refusal() throws Exception {
    try {
      ClientOrigin.Client c = client.get(WAIT_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError("expected a refusal, got the client " + c.address());
    } catch (ExecutionException e) {
      return (ClientOrigin.Refused) e.getCause();
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void withoutProxyProtocolTheClientIsTheTcpPeer() throws Exception {
    int port = listen(false, peer -> false);
    try (Socket s = connect(port)) {
      ClientOrigin.Client c = client.get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(LOOPBACK, c.address());
      s.getOutputStream().write(ascii("hello"));
      s.shutdownOutput();
      assertEquals("hello", data.get(WAIT_SECONDS, TimeUnit.SECONDS), "bytes untouched");
    }
  }

  @Test
  void aTrustedPeersHeaderNamesTheClientAndTheBytesAfterItAreKept() throws Exception {
    int port = listen(true, LOOPBACK::equals);
    try (Socket s = connect(port)) {
      OutputStream out = s.getOutputStream();
      // header and data in one write: the data arrives in the same read as the header
      out.write(ProxyHeaders.concat(ProxyHeaders.proxy("10.1.2.3"), ascii("first ")));
      out.flush();
      assertEquals("10.1.2.3", client.get(WAIT_SECONDS, TimeUnit.SECONDS).address());
      out.write(ascii("second"));
      s.shutdownOutput();
      assertEquals("first second", data.get(WAIT_SECONDS, TimeUnit.SECONDS), "in order, none lost");
    }
  }

  @Test
  void rejectsAHeaderFromAPeerThatIsNotATrustedProxy() throws Exception {
    int port = listen(true, peer -> false);
    try (Socket s = connect(port)) {
      s.getOutputStream().write(ProxyHeaders.proxy("10.1.2.3"));
      ClientOrigin.Refused r = refusal();
      assertEquals(LOOPBACK, r.peer(), "the header is not believed");
      assertTrue(r.getMessage().contains("not a trusted proxy"), r.getMessage());
      assertTrue(r.audited());
    }
  }

  @Test
  void rejectsAConnectionWithoutAHeaderAtItsFirstBytes() throws Exception {
    int port = listen(true, LOOPBACK::equals);
    try (Socket s = connect(port)) {
      s.getOutputStream().write(ascii("AT+PING\r\n"));
      ClientOrigin.Refused r = refusal();
      assertTrue(r.getMessage().contains("no PROXY protocol v2 header"), r.getMessage());
      assertTrue(r.audited());
      assertEquals(-1, s.getInputStream().read(), "the connection is closed");
    }
  }

  @Test
  void rejectsAHeaderNotCompleteWithinTheTimeout() throws Exception {
    int port = listen(true, LOOPBACK::equals);
    try (Socket s = connect(port)) {
      s.getOutputStream().write(ProxyHeaders.SIGNATURE);
      ClientOrigin.Refused r = refusal();
      assertTrue(r.getMessage().contains("no complete header within 300 ms"), r.getMessage());
      assertTrue(r.audited());
    }
  }

  @Test
  void theBalancersOwnConnectionsAreRefusedWithoutAnAudit() throws Exception {
    int port = listen(true, LOOPBACK::equals);
    try (Socket s = connect(port)) {
      s.getOutputStream()
          .write(ProxyHeaders.header(ProxyHeaders.LOCAL, 0x00, new byte[0])); // a health check
      ClientOrigin.Refused r = refusal();
      assertTrue(r.getMessage().contains("LOCAL"), r.getMessage());
      assertFalse(r.audited(), "a health check refuses nobody");
    }
  }

  @Test
  void aPeerThatClosesWithoutSendingIsRefusedWithoutAnAudit() throws Exception {
    int port = listen(true, LOOPBACK::equals);
    connect(port).close(); // a TCP probe, such as a balancer's plain health check
    ClientOrigin.Refused r = refusal();
    assertTrue(r.getMessage().contains("closed before sending anything"), r.getMessage());
    assertFalse(r.audited(), "a probe refuses nobody");
  }
}
