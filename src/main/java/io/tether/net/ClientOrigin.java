package io.tether.net;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Who a connection to a link or ingress port comes from: the TCP peer, or with PROXY protocol on,
 * the client named by the {@link ProxyHeader} that a trusted balancer writes first. Unlike Vert.x's
 * own support ({@code useProxyProtocol}), which believes a header from any peer, a header counts
 * only from a peer in the trusted set, and a connection without a valid one is refused.
 */
public final class ClientOrigin {
  /**
   * How long a connection may take to deliver its whole header. HAProxy writes it with the
   * connection's first bytes, so this is only reached by something that is not our balancer (or a
   * stalled network), and must not hold a socket for long.
   */
  public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(5);

  /** The client's address, and the bytes it sent after the header (its data, to be kept). */
  public record Client(String address, Buffer initial) {}

  /** A connection that is not served: its TCP peer, why, and whether it deserves an audit. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    private final String peer;
    private final boolean audited;

    Refused(String peer, String reason, boolean audited) {
      super(reason);
      this.peer = peer;
      this.audited = audited;
    }

    /** The TCP peer (the header, if any, was not believed). */
    public String peer() {
      return peer;
    }

    /**
     * False for connections that refused nobody: the balancer's own (a LOCAL health check) and a
     * peer that closed before sending a byte (a TCP probe). Audited, they would add an entry a
     * minute for as long as the balancer runs.
     */
    public boolean audited() {
      return audited;
    }
  }

  private final boolean proxyProtocol;
  private final Predicate<String> trustedProxy;
  private final Vertx vertx;
  private final Duration headerTimeout;

  /**
   * {@code proxyProtocol} off: the client is the TCP peer. On: a header is required, and believed
   * only from a peer {@code trustedProxy} accepts.
   */
  public ClientOrigin(boolean proxyProtocol, Predicate<String> trustedProxy, Vertx vertx) {
    this(proxyProtocol, trustedProxy, vertx, HEADER_TIMEOUT);
  }

  /** With another header timeout, for tests. */
  ClientOrigin(
      boolean proxyProtocol, Predicate<String> trustedProxy, Vertx vertx, Duration headerTimeout) {
    this.proxyProtocol = proxyProtocol;
    this.trustedProxy = trustedProxy;
    this.vertx = vertx;
    this.headerTimeout = headerTimeout;
  }

  /**
   * A listener's connect handler: each accepted socket's client goes to {@code admit} (without
   * PROXY protocol at once, the socket untouched; with it once the header is read, the socket
   * paused and without a handler: {@code admit} sets one and resumes). A refused socket is closed
   * and, when its refusal deserves an audit, handed to {@code refused}.
   */
  public Handler<NetSocket> connectHandler(
      BiConsumer<NetSocket, Client> admit, BiConsumer<NetSocket, Refused> refused) {
    return socket ->
        of(socket)
            .onSuccess(client -> admit.accept(socket, client))
            .onFailure(
                e -> {
                  socket.close();
                  Refused r = (Refused) e; // the only way of() fails
                  if (r.audited()) {
                    refused.accept(socket, r);
                  }
                });
  }

  /**
   * The client of a just accepted {@code socket}, on its event loop; a failed future carries a
   * {@link Refused} and leaves the socket to the caller to close.
   */
  Future<Client> of(NetSocket socket) {
    String peer = socket.remoteAddress().hostAddress();
    if (!proxyProtocol) {
      return Future.succeededFuture(new Client(peer, Buffer.buffer()));
    }
    if (!trustedProxy.test(peer)) {
      return Future.failedFuture(
          new Refused(
              peer,
              "PROXY protocol: the peer "
                  + peer
                  + " is not a trusted proxy (TETHER_TRUSTED_PROXIES)",
              true));
    }
    return new HeaderRead(socket, peer).result.future();
  }

  /** Reading one connection's header, within the header timeout. */
  private final class HeaderRead {
    final NetSocket socket;
    final String peer;
    final Promise<Client> result = Promise.promise();
    final Buffer received = Buffer.buffer();
    final long timer;

    HeaderRead(NetSocket socket, String peer) {
      this.socket = socket;
      this.peer = peer;
      this.timer =
          vertx.setTimer(
              headerTimeout.toMillis(),
              t ->
                  refuse(
                      "PROXY protocol: no complete header within "
                          + headerTimeout.toMillis()
                          + " ms",
                      true));
      socket.handler(this::received);
      socket.closeHandler(
          v ->
              refuse(
                  received.length() == 0
                      ? "closed before sending anything"
                      : "PROXY protocol: closed before the end of the header",
                  received.length() > 0));
    }

    void received(Buffer data) {
      received.appendBuffer(data);
      Optional<ProxyHeader.Parsed> parsed;
      try {
        parsed = ProxyHeader.parse(received.getBytes(), received.length());
      } catch (ProxyHeader.Invalid e) {
        refuse("PROXY protocol: " + e.getMessage(), true);
        return;
      }
      if (parsed.isEmpty()) {
        return;
      }
      ProxyHeader.Parsed header = parsed.get();
      if (header.source().isEmpty()) {
        refuse("PROXY protocol: the balancer's own connection (LOCAL), no client", false);
        return;
      }
      settle();
      result.tryComplete(
          new Client(
              header.source().get().hostAddress(),
              received.getBuffer(header.length(), received.length())));
    }

    /** Does nothing once the header was read: the socket is its next owner's by then. */
    void refuse(String reason, boolean audited) {
      if (result.future().isComplete()) {
        return;
      }
      settle();
      result.fail(new Refused(peer, reason, audited));
    }

    /** Done reading: no more bytes, no timer; the socket waits for its next owner. */
    void settle() {
      vertx.cancelTimer(timer);
      socket.pause();
      socket.handler(null);
    }
  }
}
