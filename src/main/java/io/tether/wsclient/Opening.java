package io.tether.wsclient;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Opens one {@link FrameSocket} on the loop thread, step by step as the socket allows: TCP connect,
 * the proxy's CONNECT tunnel, TLS, the HTTP upgrade; all within {@link
 * FrameSocket#CONNECT_TIMEOUT}.
 */
final class Opening implements IoLoop.Attachment {
  private enum Step {
    TCP,
    PROXY,
    TLS,
    UPGRADE,
    DONE
  }

  private final IoLoop loop = IoLoop.get();
  private final WsConfig config;
  private final URI uri;
  private final String token;
  private final FrameSocket socket;
  private final CompletableFuture<FrameSocket> future = new CompletableFuture<>();
  private final ByteBuffer in = ByteBuffer.allocateDirect(FrameSocket.READ_BUFFER);
  private final Upgrade upgrade = new Upgrade(new SecureRandom());
  private SocketChannel channel;
  private SelectionKey key;
  private Transport transport;
  private ByteBuffer request;
  private boolean requestSent;
  private Step step = Step.TCP;
  private IoLoop.Timer timeout;

  private Opening(WsConfig config, URI uri, String token, FrameSocket socket) {
    this.config = config;
    this.uri = uri;
    this.token = token;
    this.socket = socket;
  }

  /** Resolves the address on the caller's thread (a slow DNS must not stall the loop). */
  static CompletableFuture<FrameSocket> open(
      WsConfig config, URI uri, String token, FrameSocket socket) {
    Opening opening = new Opening(config, uri, token, socket);
    try {
      InetSocketAddress address = opening.firstHop();
      opening.timeout = opening.loop.schedule(FrameSocket.CONNECT_TIMEOUT, opening::timedOut);
      opening.loop.execute(() -> opening.begin(address));
    } catch (IOException e) {
      opening.future.completeExceptionally(e);
    }
    return opening.future;
  }

  private boolean secure() {
    return "wss".equalsIgnoreCase(uri.getScheme());
  }

  private int port() {
    return uri.getPort() != -1 ? uri.getPort() : secure() ? 443 : 80;
  }

  private InetSocketAddress firstHop() throws IOException {
    if (!secure() && !"ws".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IOException("not a ws:// or wss:// URL: " + uri);
    }
    InetSocketAddress address =
        config.proxy() == null
            ? new InetSocketAddress(uri.getHost(), port())
            : new InetSocketAddress(config.proxy().getHost(), config.proxyPort());
    if (address.isUnresolved()) {
      throw new UnknownHostException(address.getHostString());
    }
    return address;
  }

  private void begin(InetSocketAddress address) {
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, FrameSocket.SEND_BUFFER);
      channel.connect(address);
      key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
      advance();
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  @Override
  public void ready(SelectionKey key) {
    try {
      advance();
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void advance() throws IOException {
    while (true) {
      switch (step) {
        case TCP -> {
          if (!channel.finishConnect()) {
            return;
          }
          transport = new Transport.Plain(channel);
          if (config.proxy() != null) {
            send(proxyConnect(), Step.PROXY);
          } else {
            afterTunnel();
          }
        }
        case PROXY -> {
          HttpHead answer = exchange();
          if (answer == null) {
            return;
          }
          if (answer.status() != 200) {
            throw new IOException(
                "the proxy refused the tunnel: HTTP " + answer.status() + " " + answer.reason());
          }
          if (in.position() > 0) {
            throw new IOException("the proxy sent bytes before the tunnel was up");
          }
          afterTunnel();
        }
        case TLS -> {
          TlsTransport tls = (TlsTransport) transport;
          if (!tls.handshake()) {
            key.interestOps(tls.wantsWrite() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            return;
          }
          send(upgrade.request(uri, token, config.capabilities()), Step.UPGRADE);
        }
        case UPGRADE -> {
          HttpHead answer = exchange();
          if (answer != null) {
            upgrade.verify(answer);
            step = Step.DONE;
            timeout.cancel(); // else the timer would hold the socket and its handler for 15 s
            socket.opened(channel, key, transport, in);
            future.complete(socket);
            socket.readNow();
          }
          return;
        }
        default -> {
          return;
        }
      }
    }
  }

  private void afterTunnel() {
    if (secure()) {
      transport = new TlsTransport(channel, config.tls(), uri.getHost(), port());
      step = Step.TLS;
    } else {
      send(upgrade.request(uri, token, config.capabilities()), Step.UPGRADE);
    }
  }

  private void send(String head, Step next) {
    request = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
    requestSent = false;
    step = next;
  }

  /** Sends the request, then reads the answer's head: null while waiting for the socket. */
  private HttpHead exchange() throws IOException {
    if (!requestSent) {
      if (!transport.write(request)) {
        key.interestOps(SelectionKey.OP_WRITE);
        return null;
      }
      requestSent = true;
    }
    while (true) {
      Optional<HttpHead> head = HttpHead.take(in);
      if (head.isPresent()) {
        return head.get();
      }
      int n = transport.read(in);
      if (n < 0) {
        throw new EOFException(
            "the " + (step == Step.PROXY ? "proxy" : "server") + " closed the connection");
      }
      if (n == 0) {
        key.interestOps(SelectionKey.OP_READ);
        return null;
      }
    }
  }

  private String proxyConnect() {
    String authority = uri.getHost() + ":" + port();
    String userInfo = config.proxy().getUserInfo();
    String credentials =
        userInfo == null || !userInfo.contains(":")
            ? ""
            : "Proxy-Authorization: Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))
                + "\r\n";
    return "CONNECT "
        + authority
        + " HTTP/1.1\r\nHost: "
        + authority
        + "\r\n"
        + credentials
        + "\r\n";
  }

  private void timedOut() {
    if (!future.isDone()) {
      fail(
          new SocketTimeoutException(
              "no WebSocket after " + FrameSocket.CONNECT_TIMEOUT.toSeconds() + " s"));
    }
  }

  private void fail(Throwable e) {
    step = Step.DONE;
    timeout.cancel();
    future.completeExceptionally(e);
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // failing anyway
      }
    }
  }
}
