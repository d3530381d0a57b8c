package io.tether.forward;

import io.tether.access.CredentialWatch;
import io.tether.access.Principal;
import io.tether.audit.Audit;
import io.tether.device.Device;
import io.tether.net.Connections;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Messages;
import io.tether.protocol.Open;
import io.tether.protocol.PeerText;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.Reason;
import io.tether.protocol.SendScheduler;
import io.tether.protocol.TunnelCloseCode;
import io.tether.protocol.Welcome;
import io.tether.tunnel.DataFrames;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** One tether-cli connection: the CLI opens channels, each spliced to a device channel. */
final class ForwardSession implements CredentialWatch.Holder, ForwardBridge.Cli {
  private static final Logger LOG = Logger.getLogger(ForwardSession.class);

  /**
   * Control frames (PONG, CREDIT, OPENED, REFUSED, EOF, CLOSE, PING) queued unwritten before the
   * CLI counts as not reading and is closed (4008): a CLI that reads has a few dozen small frames
   * in flight; DATA is not counted here, it is bounded by each channel's credit window.
   */
  static final long CONTROL_QUEUE_BYTES = 64 * 1024;

  /**
   * WebSocket PINGs within a second beyond which a client floods and is closed (4008): Vert.x
   * answers each one itself, outside {@link #CONTROL_QUEUE_BYTES}, and tether-cli sends none (its
   * keep-alive is the protocol's PING frame, which is counted).
   */
  static final int MAX_SOCKET_PINGS_PER_SECOND = 100;

  /**
   * Bytes handed to the CLI's socket before the scheduler waits for it to drain: small, because the
   * socket carries every channel of the CLI and a frame handed over can no longer be overtaken by a
   * keystroke's echo ({@link SendScheduler}).
   */
  static final int SOCKET_WRITE_QUEUE = 64 * 1024;

  /**
   * A frame waiting for the socket: {@code counted} ones are in {@link #CONTROL_QUEUE_BYTES}; a
   * DATA slice's {@code written} (or null) runs once the socket has taken it.
   */
  private record Out(Buffer frame, boolean counted, Runnable written) {}

  private final ServerWebSocket ws;
  private final io.vertx.core.http.HttpConnection connection;
  private final Context context;
  private final Principal principal;
  private final long deviceId;
  private final String address;
  private final ForwardRoute route;
  private final Map<Integer, ForwardBridge> bridges = new HashMap<>();
  private final io.tether.protocol.ChannelIds closedIds = new io.tether.protocol.ChannelIds();
  private final io.tether.api.SendBudget controlQueued =
      new io.tether.api.SendBudget(CONTROL_QUEUE_BYTES);
  private final SendScheduler<Out> outbox = new SendScheduler<>();
  private boolean drainArmed;
  private long lastReceived = System.nanoTime();
  private long pingWindowStart;
  private int pingsInWindow;
  private long timer = -1;
  private boolean closed;
  private CredentialWatch.Watch watch;

  ForwardSession(
      ServerWebSocket ws,
      io.vertx.core.http.HttpConnection connection,
      Context context,
      Principal principal,
      long deviceId,
      String address,
      ForwardRoute route) {
    this.ws = ws;
    this.connection = connection;
    this.context = context;
    this.principal = principal;
    this.deviceId = deviceId;
    this.address = address;
    this.route = route;
  }

  long userId() {
    return principal.userId();
  }

  long deviceId() {
    return deviceId;
  }

  void start() {
    long heartbeat = settingsHeartbeat();
    ws.setWriteQueueMaxSize(SOCKET_WRITE_QUEUE);
    ws.binaryMessageHandler(this::onMessage);
    ws.textMessageHandler(
        t ->
            close(
                TunnelCloseCode.PROTOCOL_ERROR.code(),
                "text messages are not part of the protocol"));
    ws.frameHandler(
        f -> {
          if (f.isPing() && !closed && pingFlood(System.nanoTime())) {
            // now, on this event loop: Vert.x reads on and answers every PING it reads, and a
            // task queued behind the flood would run only after megabytes of it
            String reason =
                "ping-flood: more than " + MAX_SOCKET_PINGS_PER_SECOND + " PINGs a second";
            ws.close((short) TunnelCloseCode.LIMIT_EXCEEDED.code(), PeerText.closeReason(reason));
            cleanup();
            Connections.abort(connection);
          }
        });
    ws.closeHandler(v -> cleanup());
    ws.exceptionHandler(
        e -> {
          LOG.debugf("socket error: %s", e.toString());
          close(TunnelCloseCode.GOING_AWAY.code(), "socket error: " + e.getMessage());
        });
    send(
        Frame.control(
            FrameType.WELCOME,
            new Welcome(
                    ProtocolVersion.CURRENT,
                    ProtocolLimits.DEFAULT_WINDOW,
                    ProtocolLimits.MAX_PAYLOAD,
                    heartbeat,
                    deadAfter(),
                    0)
                .encode()));
    timer = context.owner().setPeriodic(heartbeat, id -> heartbeat());
    watch = route.credentials().watch(this);
  }

  @Override
  public Context context() {
    return context;
  }

  /** The API token expired (a revocation is an access change): the socket ends. */
  @Override
  public void expired(String reason) {
    close(TunnelCloseCode.CREDENTIAL_EXPIRED.code(), "credential-expired: " + reason);
  }

  /** Counts one WebSocket PING; whether this second has seen more than a client needs. */
  private boolean pingFlood(long nanos) {
    if (nanos - pingWindowStart >= 1_000_000_000L) {
      pingWindowStart = nanos;
      pingsInWindow = 0;
    }
    return ++pingsInWindow > MAX_SOCKET_PINGS_PER_SECOND;
  }

  private long settingsHeartbeat() {
    return route.tunnels().heartbeatMillis();
  }

  private long deadAfter() {
    return route.tunnels().deadAfterMillis();
  }

  private void onMessage(Buffer message) {
    if (closed) {
      return;
    }
    lastReceived = System.nanoTime();
    try {
      int data = DataFrames.channelOf(message);
      if (data != 0) {
        // the bulk path (an upload): the payload goes on as a view of the message, not copied
        onData(data, DataFrames.payloadOf(message));
        return;
      }
      Frame frame = FrameCodec.decode(message.getBytes());
      switch (frame.type()) {
        case PING ->
            send(Frame.control(FrameType.PONG, Messages.nonce(Messages.nonce(frame.payload()))));
        case PONG -> Messages.nonce(frame.payload());
        case OPEN -> open(frame.channel(), Open.decode(frame.payload()));
        case CREDIT, EOF, CLOSE, LINE -> {
          ForwardBridge bridge = bridges.get(frame.channel());
          if (bridge != null) {
            bridge.onCliFrame(frame);
          } else if (!closedIds.recentlyClosed(frame.channel())) {
            throw new ProtocolException(
                frame.type() + " for channel " + frame.channel() + " that is not open");
          }
        }
        default -> throw new ProtocolException(frame.type() + " is not valid from the CLI");
      }
    } catch (ProtocolException e) {
      close(e.closeCode().code(), e.getMessage());
    }
  }

  /** A DATA frame's payload (at least one byte), as a view of its message. */
  private void onData(int id, Buffer payload) throws ProtocolException {
    ForwardBridge bridge = bridges.get(id);
    if (bridge != null) {
      bridge.onCliData(payload);
    } else if (!closedIds.recentlyClosed(id)) {
      throw new ProtocolException("DATA for channel " + id + " that is not open");
    }
  }

  private void open(int id, Open open) throws ProtocolException {
    if (bridges.containsKey(id) || closedIds.recentlyClosed(id)) {
      throw new ProtocolException("channel id " + id + " is in use or was just closed");
    }
    if (bridges.size() >= ProtocolLimits.MAX_CHANNELS_PER_TUNNEL) {
      send(
          Frame.channel(
              FrameType.REFUSED,
              id,
              new Reason(Reason.LIMIT_EXCEEDED, "too many channels").encode()));
      return;
    }
    ForwardBridge bridge = new ForwardBridge(id, this, ProtocolLimits.DEFAULT_WINDOW);
    bridges.put(id, bridge);
    // rights are checked on every open, not only when the socket was accepted
    route
        .vertx()
        .<Device>executeBlocking(
            () -> route.check().recheck(principal, deviceId, open.target()), false)
        .onComplete(
            result -> {
              if (result.failed()) {
                bridge.onRefused(new Reason(Reason.ACCESS_REVOKED, result.cause().getMessage()));
                return;
              }
              route
                  .audit()
                  .submit(
                      Audit.by(principal, address)
                          .action("forward.open")
                          .subject(result.result().name + "/" + open.target())
                          .device(deviceId));
              route
                  .connector()
                  .connect(this, result.result(), open, bridge, principal, address, context);
            });
  }

  @Override
  public void line(DeviceChannel channel, LineSettings settings) {
    channel.line(settings); // through the target's session, or counted on its way to the device
  }

  @Override
  public void bridgeEnded(int id) {
    if (bridges.remove(id) != null) {
      closedIds.closed(id);
    }
  }

  @Override
  public void send(Frame frame) {
    if (closed) {
      return;
    }
    if (io.vertx.core.Vertx.currentContext() != context) {
      context.runOnContext(v -> send(frame)); // the outbox belongs to the session's event loop
      return;
    }
    byte[] bytes = FrameCodec.encode(frame);
    int n = bytes.length;
    if (!controlQueued.take(n)) {
      close(
          TunnelCloseCode.LIMIT_EXCEEDED.code(),
          "slow-consumer: more than " + CONTROL_QUEUE_BYTES / 1024 + " KiB of frames unread");
      // the close frame cannot pass what waits unread, and Vert.x would keep answering PINGs:
      // end the connection now
      context.runOnContext(v -> Connections.abort(connection));
      return;
    }
    outbox.add(frame.type(), frame.channel(), new Out(Buffer.buffer(bytes), true, null), n);
    pump();
  }

  @Override
  public void sendData(int id, Buffer slice, Runnable written) {
    if (io.vertx.core.Vertx.currentContext() != context) {
      context.runOnContext(v -> sendData(id, slice, written));
      return;
    }
    if (!closed) {
      Buffer frame = DataFrames.of(id, slice);
      outbox.add(FrameType.DATA, id, new Out(frame, false, written), frame.length());
      pump();
    }
  }

  /** Hands frames to the socket in the scheduler's order while it takes them. */
  private void pump() {
    long now = System.nanoTime();
    while (!closed && !ws.writeQueueFull()) {
      Out out = outbox.poll(now);
      if (out == null) {
        return;
      }
      int n = out.frame().length();
      if (out.counted()) {
        ws.writeBinaryMessage(out.frame()).onComplete(r -> controlQueued.give(n));
      } else if (out.written() != null) {
        Runnable written = out.written();
        ws.writeBinaryMessage(out.frame()).onComplete(r -> written.run());
      } else {
        ws.writeBinaryMessage(out.frame());
      }
    }
    if (!closed && !drainArmed) {
      drainArmed = true;
      ws.drainHandler(
          v -> {
            drainArmed = false;
            pump();
          });
    }
  }

  private void heartbeat() {
    long silent = (System.nanoTime() - lastReceived) / 1_000_000;
    if (silent > deadAfter()) {
      close(TunnelCloseCode.HEARTBEAT_TIMEOUT.code(), "nothing heard for " + silent + " ms");
    } else {
      send(Frame.control(FrameType.PING, Messages.nonce(silent)));
    }
  }

  /** Rights on the device ended but the credential lives: end every channel, keep the socket. */
  void revokeChannels(String detail) {
    context.runOnContext(
        v -> {
          for (ForwardBridge b : bridges.values().toArray(ForwardBridge[]::new)) {
            b.revoke(new Reason(Reason.ACCESS_REVOKED, detail));
          }
          route.connector().revoked(this);
        });
  }

  @Override
  public Principal principal() {
    return principal;
  }

  void close(int code, String reason) {
    context.runOnContext(
        v -> {
          if (!closed) {
            ws.close((short) code, PeerText.closeReason(reason));
            cleanup();
          }
        });
  }

  private void cleanup() {
    if (closed) {
      return;
    }
    closed = true;
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
    }
    if (watch != null) {
      watch.cancel();
    }
    for (ForwardBridge b : bridges.values().toArray(ForwardBridge[]::new)) {
      b.abort(new Reason(Reason.PEER_CLOSED, "the CLI disconnected"));
    }
    route.ended(this);
  }
}
