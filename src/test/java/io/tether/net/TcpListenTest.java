package io.tether.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binding a listener: it listens when bind returns, and a failed bind says why. */
class TcpListenTest {
  private static final String LOOPBACK = "127.0.0.1";

  /** One event loop, so that a test can hold it and keep a bind from completing. */
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private NetServer server(int port) {
    return vertx
        .createNetServer(new NetServerOptions().setHost(LOOPBACK).setPort(port))
        .connectHandler(socket -> socket.end());
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return probe.getLocalPort();
    }
  }

  @Test
  void aServerListensOnItsPortWhenBindReturns() throws Exception {
    int port = freePort();
    NetServer server = server(port);
    TcpListen.bind(server);
    assertEquals(port, server.actualPort());
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress(LOOPBACK, port), 2000);
      assertTrue(client.isConnected());
    }
  }

  @Test
  void aPortInUseFailsTheBindWithTheReason() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      TcpListen.Failed failed =
          assertThrows(TcpListen.Failed.class, () -> TcpListen.bind(server(taken.getLocalPort())));
      assertTrue(
          failed.getMessage().toLowerCase().contains("in use"),
          "the reason names the taken address: " + failed.getMessage());
    }
  }

  @Test
  void aBindThatDoesNotCompleteWithinTheTimeoutFailsAndTheServerNeverListens() throws Exception {
    int port = freePort();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    vertx.runOnContext(
        v -> {
          held.countDown();
          try {
            release.await(10, TimeUnit.SECONDS); // the only event loop is stuck
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertTrue(held.await(5, TimeUnit.SECONDS));
    NetServer server = server(port);
    TcpListen.Failed failed =
        assertThrows(TcpListen.Failed.class, () -> TcpListen.bind(server, Duration.ofMillis(200)));
    assertTrue(failed.getMessage().contains("200 ms"), failed.getMessage());
    release.countDown();
    Await.until("the late bind to be closed", Duration.ofSeconds(5), () -> bindable(port));
  }

  private static boolean bindable(int port) {
    try {
      new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK)).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
