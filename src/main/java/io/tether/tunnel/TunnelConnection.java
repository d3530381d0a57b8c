package io.tether.tunnel;

import io.tether.protocol.AgentUpgrade;
import io.tether.protocol.ChannelIds;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.Hello;
import io.tether.protocol.InteractiveTraffic;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Messages;
import io.tether.protocol.Open;
import io.tether.protocol.PeerText;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.Reason;
import io.tether.protocol.SendActivity;
import io.tether.protocol.TunnelCloseCode;
import io.tether.protocol.Welcome;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One agent's tunnel, owned by the event loop of its socket: handshake, heartbeat, the channel
 * table and the round-robin DATA scheduler. Nothing here blocks; database work goes through the
 * presence writer and the async audit.
 */
public final class TunnelConnection implements LiveTunnel {
  private static final Logger LOG = Logger.getLogger(TunnelConnection.class);

  enum State {
    AWAIT_HELLO,
    ACTIVE,
    CLOSED
  }

  private final TunnelSocket ws;
  private final Context context;
  private final DeviceIdentity device;
  private final String remoteAddress;
  private final TunnelSettings settings;
  private final TunnelNode node;
  private final long generation;
  private final Map<Integer, PortalChannel> channels = new HashMap<>();
  private final List<PortalChannel> open = new ArrayList<>();
  private final ChannelIds ids = new ChannelIds();
  private final InteractiveTraffic traffic = new InteractiveTraffic();
  private State state = State.AWAIT_HELLO;
  private Hello hello;
  private TargetStates targets;
  private long lastReceived;
  private long heartbeatTimer = -1;
  private int roundRobin;
  private int pendingOpens;
  private boolean drainArmed;
  private long nonce;
  private boolean upgradable;

  /**
   * UPGRADEs sent and not yet answered with UPGRADE_FAILED: an answer without one is a protocol
   * error, so an agent cannot make the portal audit and write without end.
   */
  private int upgradesUnanswered;

  TunnelConnection(
      TunnelSocket ws,
      Context context,
      DeviceIdentity device,
      String remoteAddress,
      TunnelNode node) {
    this(ws, context, device, remoteAddress, node, node.registry().nextGeneration());
  }

  /** A tunnel whose generation was given (by the cluster's sequence). */
  TunnelConnection(
      TunnelSocket ws,
      Context context,
      DeviceIdentity device,
      String remoteAddress,
      TunnelNode node,
      long generation) {
    this.ws = ws;
    this.context = context;
    this.device = device;
    this.remoteAddress = remoteAddress;
    this.node = node;
    this.settings = node.settings();
    this.generation = generation;
    this.lastReceived = node.clock().nanoTime();
  }

  /** The agent offered the upgrade capability in its upgrade request's header; before start. */
  TunnelConnection upgradable(boolean value) {
    this.upgradable = value;
    return this;
  }

  @Override
  public String agentVersion() {
    Hello h = hello; // set once, before the tunnel is registered
    return h == null ? null : h.agentVersion();
  }

  @Override
  public boolean upgradable() {
    return upgradable;
  }

  @Override
  public boolean offerUpgrade(AgentUpgrade offer) {
    if (!upgradable) {
      return false;
    }
    byte[] payload = offer.encode();
    context.runOnContext(
        v -> {
          if (state == State.ACTIVE) {
            upgradesUnanswered++;
            send(Frame.control(FrameType.UPGRADE, payload));
          }
        });
    return true;
  }

  /** An UPGRADE went out on this tunnel and the agent has not refused it; on the context. */
  boolean upgradeUnanswered() {
    return upgradesUnanswered > 0;
  }

  /** Wires the socket's handlers; call on the socket's context. */
  void start() {
    ws.listen(
        new TunnelSocket.Listener() {
          @Override
          public void onBinary(Buffer message) {
            onMessage(message);
          }

          @Override
          public void onText(String message) {
            fail(new ProtocolException("text messages are not part of the protocol"));
          }

          @Override
          public void onClosed(Integer code, String reason) {
            // the device's own reason is logged, audited and shown to users: made one safe line
            cleanup(
                code == null ? 1006 : code, reason == null ? null : PeerText.closeReason(reason));
          }

          @Override
          public void onError(Throwable e) {
            LOG.debugf("socket error: %s", e.toString());
            close(TunnelCloseCode.GOING_AWAY.code(), "socket error: " + e.getMessage());
          }
        });
    Duration handshake = settings.handshakeTimeout();
    context
        .owner()
        .setTimer(
            handshake.toMillis(),
            id ->
                // decided and done on the connection's context: a HELLO handled in between must
                // not be welcomed and then closed as if it never came
                context.runOnContext(
                    v -> {
                      if (state == State.AWAIT_HELLO) {
                        node.metrics().refused("handshake-timeout");
                        String reason = "no HELLO within " + readable(handshake);
                        ws.close(TunnelCloseCode.HANDSHAKE_TIMEOUT.code(), reason);
                        cleanup(TunnelCloseCode.HANDSHAKE_TIMEOUT.code(), reason);
                      }
                    }));
  }

  /** "10 s", or "250 ms" for the shortened timeouts of tests. */
  private static String readable(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  @Override
  public long deviceId() {
    return device.deviceId();
  }

  @Override
  public String instanceId() {
    return hello == null ? "" : hello.instanceId();
  }

  @Override
  public long generation() {
    return generation;
  }

  @Override
  public PresenceWriter.State presence(boolean online) {
    return new PresenceWriter.State(
        deviceId(),
        device().groupId(),
        generation(),
        online,
        remoteAddress(),
        hello().agentVersion(),
        instanceId(),
        targets().snapshot(),
        node.clock().now());
  }

  @Override
  public Context context() {
    return context;
  }

  TunnelMetrics metrics() {
    return node.metrics();
  }

  /** What the tunnel's channels carried lately: grows its windows on short round trips or not. */
  InteractiveTraffic traffic() {
    return traffic;
  }

  NodeBudget budget() {
    return node.budget();
  }

  DeviceIdentity device() {
    return device;
  }

  String remoteAddress() {
    return remoteAddress;
  }

  Hello hello() {
    return hello;
  }

  TargetStates targets() {
    return targets;
  }

  private void onMessage(Buffer message) {
    if (state == State.CLOSED) {
      return;
    }
    lastReceived = node.clock().nanoTime();
    try {
      if (state != State.AWAIT_HELLO) {
        int data = DataFrames.channelOf(message);
        if (data != 0) {
          // the bulk path: the payload is passed on as a view of the message, never copied here
          onData(data, DataFrames.payloadOf(message));
          return;
        }
      }
      Frame frame = FrameCodec.decode(message.getBytes());
      if (state == State.AWAIT_HELLO) {
        handshake(frame);
      } else {
        dispatch(frame);
      }
    } catch (ProtocolException e) {
      fail(e);
    }
  }

  private void handshake(Frame frame) throws ProtocolException {
    if (frame.type() != FrameType.HELLO) {
      throw new ProtocolException("the first frame must be HELLO, not " + frame.type());
    }
    Hello h = Hello.decode(frame.payload());
    if (h.version() != ProtocolVersion.CURRENT) {
      node.metrics().refused("version");
      close(TunnelCloseCode.UNSUPPORTED_VERSION.code(), ProtocolVersion.mismatch(h.version()));
      return;
    }
    hello = h;
    targets = new TargetStates(h.targets());
    TunnelRegistry.Registration registration = node.registry().register(this);
    if (registration instanceof TunnelRegistry.Registration.Duplicate dup) {
      node.events().duplicate(this, dup.holder());
      close(TunnelCloseCode.DUPLICATE_AGENT.code(), "another agent installation holds this device");
      return;
    }
    ((TunnelRegistry.Registration.Accepted) registration)
        .replaced()
        .ifPresent(
            old ->
                old.close(
                    TunnelCloseCode.REPLACED.code(),
                    "replaced by a new connection of the same agent"));
    state = State.ACTIVE;
    send(
        Frame.control(
            FrameType.WELCOME,
            new Welcome(
                    ProtocolVersion.CURRENT,
                    settings.windowBytes(),
                    ProtocolLimits.MAX_PAYLOAD,
                    settings.heartbeat().toMillis(),
                    settings.deadAfter().toMillis(),
                    0)
                .encode()));
    heartbeatTimer =
        context.owner().setPeriodic(settings.heartbeat().toMillis(), id -> heartbeat());
    node.events().connected(this);
  }

  private void onData(int id, Buffer payload) throws ProtocolException {
    PortalChannel channel = channels.get(id);
    if (channel != null) {
      channel.onData(payload);
    } else if (!ids.recentlyClosed(id)) {
      throw new ProtocolException("DATA for channel " + id + " that was never opened");
    }
  }

  private void dispatch(Frame frame) throws ProtocolException {
    switch (frame.type()) {
      case PING ->
          send(Frame.control(FrameType.PONG, Messages.nonce(Messages.nonce(frame.payload()))));
      case PONG -> Messages.nonce(frame.payload());
      case TARGET_STATUS -> {
        Messages.TargetStatus report = Messages.targetStatus(frame.payload());
        String previous = targets.update(report);
        if (previous != null) {
          node.events().targetStatusChanged(this, report.target(), previous, report.label());
        }
        node.events().presenceChanged(this);
      }
      case UPGRADE_FAILED -> {
        if (upgradesUnanswered == 0) {
          throw new ProtocolException("UPGRADE_FAILED without an UPGRADE to answer");
        }
        upgradesUnanswered--;
        node.events().upgradeFailed(this, AgentUpgrade.failedReason(frame.payload()));
      }
      case OPENED, REFUSED, DATA, CREDIT, EOF, CLOSE -> {
        PortalChannel channel = channels.get(frame.channel());
        if (channel != null) {
          channel.onFrame(frame);
        } else if (!ids.recentlyClosed(frame.channel())) {
          throw new ProtocolException(
              frame.type() + " for channel " + frame.channel() + " that was never opened");
        }
      }
      default -> throw new ProtocolException(frame.type() + " is not valid from an agent");
    }
  }

  /** Opens a channel to a target; the consumer hears OPENED/REFUSED on its context. */
  @Override
  public void open(
      String target,
      Optional<LineSettings> line,
      ChannelConsumer consumer,
      Context consumerContext) {
    context.runOnContext(
        v -> {
          if (state != State.ACTIVE) {
            consumerContext.runOnContext(
                x ->
                    consumer.onRefused(new Reason(Reason.DEVICE_OFFLINE, "the device is offline")));
          } else if (!targets.offers(target)) {
            consumerContext.runOnContext(
                x ->
                    consumer.onRefused(
                        new Reason(
                            Reason.UNKNOWN_TARGET,
                            "the device offers no target '" + target + "'")));
          } else if (channels.size() >= ProtocolLimits.MAX_CHANNELS_PER_TUNNEL
              || pendingOpens >= ProtocolLimits.MAX_PENDING_OPENS) {
            consumerContext.runOnContext(
                x ->
                    consumer.onRefused(
                        new Reason(Reason.LIMIT_EXCEEDED, "too many channels on this device")));
          } else {
            int id = ids.allocate();
            PortalChannel channel =
                new PortalChannel(
                    this, id, target, consumer, consumerContext, settings.windowBytes());
            channels.put(id, channel);
            pendingOpens++;
            send(Frame.channel(FrameType.OPEN, id, new Open(target, line).encode()));
          }
        });
  }

  void channelOpened(PortalChannel channel) {
    pendingOpens--;
    open.add(channel);
    node.metrics().channelOpened();
    if (targets.use(channel.target(), 1)) {
      node.events().presenceChanged(this);
    }
  }

  void channelClosed(PortalChannel channel) {
    if (channels.remove(channel.id()) != null) {
      ids.closed(channel.id());
      if (open.remove(channel)) {
        node.metrics().channelClosed();
        if (state == State.ACTIVE && targets.use(channel.target(), -1)) {
          node.events().presenceChanged(this);
        }
      } else {
        pendingOpens--;
      }
    }
  }

  /**
   * Writes DATA slices while the socket accepts them: first one slice of each quiet channel (a
   * keystroke, a prompt: {@link SendActivity}), then round-robin one slice per channel — deficit
   * round robin with a quantum of one slice, since no channel's turn takes more. docs/protocol.md,
   * "Scheduling".
   */
  void pump() {
    if (state != State.ACTIVE) {
      return;
    }
    long now = System.nanoTime();
    for (int i = 0; i < open.size() && !ws.writeQueueFull(); i++) {
      PortalChannel ch = open.get(i);
      if (ch.quiet(now)) {
        writeNext(ch, now);
      }
    }
    boolean progress = true;
    while (progress && !ws.writeQueueFull()) {
      progress = false;
      for (int i = 0; i < open.size() && !ws.writeQueueFull(); i++) {
        progress |= writeNext(open.get(roundRobin++ % open.size()), now);
      }
    }
    if (ws.writeQueueFull() && !drainArmed) {
      drainArmed = true;
      ws.onDrain(
          () -> {
            drainArmed = false;
            pump();
          });
    }
  }

  /** Writes the channel's next slice (or its due EOF); true if a slice went out. */
  private boolean writeNext(PortalChannel ch, long now) {
    Buffer slice = ch.nextSlice(ProtocolLimits.DATA_SLICE, now);
    if (slice != null) {
      node.metrics().bytesToDevice(slice.length());
      ws.write(DataFrames.of(ch.id(), slice));
      return true;
    }
    if (ch.eofDue()) {
      send(Frame.channel(FrameType.EOF, ch.id(), Frame.EMPTY));
      ch.eofSent();
    }
    return false;
  }

  void send(Frame frame) {
    if (state != State.CLOSED) {
      ws.write(Buffer.buffer(FrameCodec.encode(frame)));
    }
  }

  private void heartbeat() {
    long silentMillis = (node.clock().nanoTime() - lastReceived) / 1_000_000;
    if (silentMillis > settings.deadAfter().toMillis()) {
      close(TunnelCloseCode.HEARTBEAT_TIMEOUT.code(), "nothing heard for " + silentMillis + " ms");
    } else {
      send(Frame.control(FrameType.PING, Messages.nonce(++nonce)));
    }
  }

  private void fail(ProtocolException e) {
    node.metrics().protocolError();
    close(e.closeCode().code(), e.getMessage());
  }

  @Override
  public void close(int code, String reason) {
    close(code, reason, () -> {});
  }

  /** Closes, then runs {@code written} once the close frame is written (or the socket is gone). */
  void close(int code, String reason, Runnable written) {
    context.runOnContext(
        v -> {
          if (state == State.CLOSED) {
            written.run();
            return;
          }
          String text = PeerText.closeReason(reason);
          ws.close(code, text).onComplete(r -> written.run());
          cleanup(code, text);
        });
  }

  private void cleanup(int code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasActive = state == State.ACTIVE;
    state = State.CLOSED;
    if (heartbeatTimer >= 0) {
      context.owner().cancelTimer(heartbeatTimer);
    }
    Reason offline =
        new Reason(
            Reason.DEVICE_OFFLINE,
            "the device went offline (" + code + (reason == null ? "" : " " + reason) + ")");
    for (PortalChannel ch : List.copyOf(channels.values())) {
      ch.tunnelClosed(offline);
    }
    if (wasActive) {
      node.events().disconnected(this, code, reason);
    }
  }
}
