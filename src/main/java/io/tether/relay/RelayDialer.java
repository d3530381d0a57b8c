package io.tether.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.tether.access.Principal;
import io.tether.api.Problem;
import io.tether.boot.TetherConfig;
import io.tether.protocol.Reason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The user's side of a relay: after this node authenticated and authorised the user, it opens a
 * socket to the device's node with an assertion, and only once that node accepted does it upgrade
 * the user's request and splice the two (a refusal there reaches the user as the same status).
 */
@ApplicationScoped
public class RelayDialer {
  /** A node that does not accept a relayed socket within this is reported as not answering. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(RelayDialer.class);

  @Inject Vertx vertx;
  @Inject RelayGate gate;
  @Inject TetherConfig config;
  @Inject MeterRegistry registry;

  private volatile WebSocketClient client;

  /**
   * What to relay: the purpose, the device target, the query the entry reads and, for {@link
   * RelayPurpose#WEB}, the device-web session the assertion names.
   */
  public record Request(
      RelayPurpose purpose,
      long deviceId,
      String target,
      String query,
      List<String> subprotocols,
      Long webSessionId) {
    public Request(
        RelayPurpose purpose,
        long deviceId,
        String target,
        String query,
        List<String> subprotocols) {
      this(purpose, deviceId, target, query, subprotocols, null);
    }
  }

  /**
   * Relays the user's WebSocket request in {@code ctx} (paused or not yet read) to {@code owner}.
   * {@code ended} runs once when the relayed socket ends or could not be opened.
   */
  public void relay(
      RoutingContext ctx,
      DeviceOwners.Owner owner,
      Principal principal,
      String clientAddress,
      Request what,
      Runnable ended) {
    String token = issue(owner, principal, clientAddress, what);
    ctx.request().pause();
    Future<WebSocket> peer = connect(owner, what, token);
    peer.onComplete(
        r -> {
          ctx.request().resume();
          if (r.failed()) {
            refuse(ctx, owner, r.cause());
            ended.run();
            return;
          }
          WebSocket node = r.result();
          // the owner may speak first (a forward's WELCOME): hold its frames until the splice
          node.pause();
          ctx.request()
              .toWebSocket()
              .onFailure(
                  e -> {
                    node.close();
                    ended.run();
                  })
              .onSuccess(user -> WebSocketSplice.join(user, node, ended));
        });
  }

  /**
   * Opens a relayed socket to {@code owner} for a front door of this node that speaks the entry's
   * protocol itself (the SSH server's shell speaks the terminal's). Fails with a {@link Refused}
   * carrying the line to show when the owner refused or did not answer.
   */
  public Future<WebSocket> open(
      DeviceOwners.Owner owner, Principal principal, String clientAddress, Request what) {
    String token = issue(owner, principal, clientAddress, what);
    return connect(owner, what, token)
        .recover(
            e -> {
              if (!(e instanceof UpgradeRejectedException)) {
                LOG.warnf("relay to node %s (%s) failed: %s", owner.nodeId(), owner.url(), e);
              }
              return Future.failedFuture(Refused.of(e));
            });
  }

  /**
   * Why a relayed socket did not open, in the words the user reads, and as the channel refusal it
   * stands for: the owner's own when it sent one ({@link RelayRefusals}), else one its status
   * implies.
   */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Reason reason;

    private Refused(String line, Reason reason) {
      super(line, null, false, false);
      this.reason = reason;
    }

    static Refused of(Throwable cause) {
      if (cause instanceof UpgradeRejectedException rejected) {
        JsonObject problem = problem(rejected);
        String detail = detail(rejected, problem);
        return new Refused(
            detail,
            RelayRefusals.reasonOf(rejected.getStatus(), problem.getString("type"), detail));
      }
      return new Refused(NOT_ANSWERING, new Reason(Reason.TARGET_UNAVAILABLE, NOT_ANSWERING));
    }

    /** The refusal as the device's node would have given it to its own user. */
    public Reason reason() {
      return reason;
    }
  }

  /**
   * Relays a host program's connection to a link port of this node to {@code owner}: its bytes
   * cross as binary messages, each way piped with the backpressure of both streams, and either
   * side's end ends the other. {@code initial} (bytes read with a PROXY header) goes first.
   */
  public void relayLink(
      NetSocket socket,
      Buffer initial,
      DeviceOwners.Owner owner,
      long linkId,
      long deviceId,
      String target,
      String clientAddress) {
    String token = gate.issueForLink(owner, linkId, deviceId, target, clientAddress);
    socket.pause();
    // a client gone while the owner answers must not leave a relayed participant behind
    boolean[] gone = {false};
    socket.closeHandler(v -> gone[0] = true);
    Request what = new Request(RelayPurpose.LINK, deviceId, target, "", List.of());
    connect(owner, what, token)
        .onComplete(
            r -> {
              if (r.succeeded() && gone[0]) {
                r.result().close();
                return;
              }
              if (r.failed()) {
                LOG.warnf(
                    "link client %s not relayed to node %s: %s",
                    clientAddress, owner.nodeId(), r.cause().getMessage());
                socket.close();
                return;
              }
              WebSocket node = r.result();
              if (initial.length() > 0) {
                node.writeBinaryMessage(initial);
              }
              socket.pipeTo(node);
              node.pipeTo(socket);
            });
  }

  private String issue(
      DeviceOwners.Owner owner, Principal principal, String clientAddress, Request what) {
    return gate.issue(
        owner,
        principal,
        what.deviceId(),
        what.target(),
        what.purpose(),
        clientAddress,
        what.webSessionId());
  }

  /**
   * Connects to the owner's relay listener within {@link #CONNECT_TIMEOUT}, handshake included. The
   * deadline is a timer of our own: Vert.x's request timeout on a WebSocket connect was seen to
   * stay armed after the handshake and close the first relayed socket 5 s later (vert.x#5578); a
   * socket that arrives after the deadline is closed.
   */
  private Future<WebSocket> connect(DeviceOwners.Owner owner, Request what, String token) {
    Promise<WebSocket> answered = Promise.promise();
    vertx.setTimer(
        CONNECT_TIMEOUT.toMillis(),
        t ->
            answered.tryFail(
                new TimeoutException(
                    "no relay handshake within " + CONNECT_TIMEOUT.toSeconds() + " s")));
    client()
        .connect(options(owner, what, token))
        .onComplete(
            r -> {
              registry
                  .counter(
                      "tether.relay.opened",
                      "purpose",
                      what.purpose().name().toLowerCase(java.util.Locale.ROOT),
                      "outcome",
                      r.succeeded() ? "ok" : "failed")
                  .increment();
              if (r.failed()) {
                answered.tryFail(r.cause());
              } else if (!answered.tryComplete(r.result())) {
                r.result().close();
              }
            });
    return answered.future();
  }

  private static WebSocketConnectOptions options(
      DeviceOwners.Owner owner, Request what, String token) {
    URI url = owner.url();
    return new WebSocketConnectOptions()
        .setHost(url.getHost())
        .setPort(RelayListener.port(url))
        .setSsl(RelayListener.https(url))
        .setURI(what.purpose().path() + (what.query().isEmpty() ? "" : "?" + what.query()))
        .setSubProtocols(what.subprotocols())
        .addHeader(RelayListener.ASSERTION_HEADER, token);
  }

  private static void refuse(RoutingContext ctx, DeviceOwners.Owner owner, Throwable cause) {
    if (cause instanceof UpgradeRejectedException rejected) {
      Problem.send(ctx, rejected.getStatus(), detail(rejected, problem(rejected)));
      return;
    }
    LOG.warnf("relay to node %s (%s) failed: %s", owner.nodeId(), owner.url(), cause.toString());
    Problem.send(ctx, 502, NOT_ANSWERING);
  }

  private static final String NOT_ANSWERING =
      "the portal node holding this device did not answer; try again in a moment";

  /** The owner's answer as problem JSON; empty when it is not JSON. */
  private static JsonObject problem(UpgradeRejectedException rejected) {
    try {
      return new JsonObject(rejected.getBody());
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  /** The owner's own problem detail, so the user reads the same refusal as on that node. */
  private static String detail(UpgradeRejectedException rejected, JsonObject problem) {
    Object d = problem.getValue("detail");
    return d instanceof String text
        ? text
        : "the portal node holding this device refused (" + rejected.getStatus() + ")";
  }

  private WebSocketClient client() {
    WebSocketClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          WebSocketClientOptions options =
              new WebSocketClientOptions()
                  .setMaxFrameSize(RelayListener.MAX_FRAME)
                  .setMaxMessageSize(RelayListener.MAX_FRAME)
                  .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                  .setVerifyHost(true);
          // peers over TLS are trusted only when the cluster's CA signed them
          config
              .cluster()
              .ca()
              .ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca)));
          client = vertx.createWebSocketClient(options);
        }
        c = client;
      }
    }
    return c;
  }
}
