package io.tether.deviceweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** TLS over a channel, against a real TLS server: handshake, pin, request and answer. */
class TlsChannelTest {
  /** A TCP socket standing in for a tunnel channel. */
  record SocketChannel(NetSocket socket) implements DeviceChannel {
    @Override
    public String target() {
      return "secure";
    }

    @Override
    public long deviceId() {
      return 1;
    }

    @Override
    public void write(Buffer data) {
      socket.write(data);
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public void end() {}

    @Override
    public void line(LineSettings settings) {}

    @Override
    public void close(Reason reason) {
      socket.close();
    }
  }

  @Test
  void speaksHttpOverTlsAfterPinningTheCertificate() throws Exception {
    try (DeviceWebApp app = new DeviceWebApp()) {
      int port = app.serveTls();
      Vertx vertx = Vertx.vertx();
      try {
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<String> pinned = new CompletableFuture<>();
        StringBuilder got = new StringBuilder();
        ChannelConsumer http =
            new ChannelConsumer() {
              @Override
              public void onOpened(DeviceChannel channel) {
                channel.write(
                    Buffer.buffer(
                        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
              }

              @Override
              public void onRefused(Reason reason) {
                answer.completeExceptionally(new AssertionError("refused: " + reason));
              }

              @Override
              public void onData(Buffer data, Runnable delivered) {
                got.append(data.toString());
                delivered.run();
              }

              @Override
              public void onEof() {
                answer.complete(got.toString());
              }

              @Override
              public void onClosed(Reason reason) {
                answer.complete(got.toString());
              }

              @Override
              public void onWritable() {}
            };
        vertx.runOnContext(
            v ->
                vertx
                    .createNetClient()
                    .connect(port, "127.0.0.1")
                    .onSuccess(
                        s -> {
                          TlsChannel tls =
                              new TlsChannel(
                                  http,
                                  "127.0.0.1:" + port,
                                  (sha, verdict) -> {
                                    pinned.complete(sha);
                                    vertx.setTimer(50, t -> verdict.accept(sha)); // a database
                                  },
                                  (a, b) ->
                                      answer.completeExceptionally(new AssertionError("pin")));
                          // records split anywhere, as channel slices may split them
                          s.handler(
                              b -> {
                                for (int i = 0; i < b.length(); i += 37) {
                                  tls.onData(
                                      b.getBuffer(i, Math.min(b.length(), i + 37)), () -> {});
                                }
                              });
                          s.endHandler(x -> tls.onEof());
                          tls.onOpened(new SocketChannel(s));
                        })
                    .onFailure(answer::completeExceptionally));
        String text = answer.get(10, TimeUnit.SECONDS);
        assertTrue(pinned.get().matches("[0-9a-f]{64}"), pinned.get());
        assertTrue(text.startsWith("HTTP/1.1 200"), "the answer, decrypted: " + text);
        assertTrue(text.contains("device home"), text);
        assertEquals(64, pinned.get().length());
      } finally {
        vertx.close();
      }
    }
  }
}
