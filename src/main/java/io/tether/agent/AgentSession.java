package io.tether.agent;

import io.tether.protocol.AgentUpgrade;
import io.tether.protocol.ChannelIds;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.Hello;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Messages;
import io.tether.protocol.Open;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import io.tether.protocol.TunnelCloseCode;
import io.tether.protocol.Welcome;
import io.tether.wsclient.ByteStream;
import io.tether.wsclient.FrameSocket;
import io.tether.wsclient.SocketOwner;
import io.tether.wsclient.StreamChannel;
import io.tether.wsclient.TcpStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One connected tunnel on the agent side: handshake, heartbeat, and the channels. */
final class AgentSession extends SocketOwner implements FrameSocket.Handler {
  private final Agent agent;
  private final ScheduledExecutorService timers;
  private final ExecutorService openers;
  private final Map<Integer, StreamChannel> channels = new ConcurrentHashMap<>();
  private final ChannelIds closedIds = new ChannelIds();

  /** Channels whose target is being connected; a CLOSE now cancels the open. */
  private final java.util.Set<Integer> opening = ConcurrentHashMap.newKeySet();

  private volatile Welcome welcome;
  private volatile long lastReceived = System.nanoTime();
  private volatile long nonce;
  private volatile java.util.concurrent.ScheduledFuture<?> heartbeat;
  private volatile boolean ended;
  private final java.util.concurrent.CountDownLatch endedLatch =
      new java.util.concurrent.CountDownLatch(1);

  AgentSession(Agent agent, ScheduledExecutorService timers, ExecutorService openers) {
    this.agent = agent;
    this.timers = timers;
    this.openers = openers;
  }

  void started(FrameSocket socket, Hello hello) {
    attach(socket);
    socket.send(Frame.control(FrameType.HELLO, hello.encode()));
  }

  @Override
  public void log(String line) {
    agent.log(line);
  }

  boolean welcomed() {
    return welcome != null;
  }

  @Override
  public void onFrame(Frame frame) throws ProtocolException {
    lastReceived = System.nanoTime();
    if (welcome == null) {
      if (frame.type() != FrameType.WELCOME) {
        throw new ProtocolException("expected WELCOME, got " + frame.type());
      }
      welcome = Welcome.decode(frame.payload());
      heartbeat =
          timers.scheduleAtFixedRate(
              this::heartbeat,
              welcome.heartbeatMillis(),
              welcome.heartbeatMillis(),
              TimeUnit.MILLISECONDS);
      agent.welcomed(this);
      return;
    }
    switch (frame.type()) {
      case PING ->
          send(Frame.control(FrameType.PONG, Messages.nonce(Messages.nonce(frame.payload()))));
      case PONG -> Messages.nonce(frame.payload());
      case OPEN -> open(frame.channel(), Open.decode(frame.payload()));
      case UPGRADE -> agent.upgrader().offered(AgentUpgrade.decode(frame.payload()), this);
      case LINE -> {
        LineSettings line = LineSettings.decode(frame.payload());
        StreamChannel ch = channels.get(frame.channel());
        if (ch != null) {
          ch.onLine(line, openers); // in order, off the socket's thread (BREAK blocks)
        }
      }
      case DATA, CREDIT, EOF, CLOSE -> channelFrame(frame);
      default -> throw new ProtocolException(frame.type() + " is not valid from the portal");
    }
  }

  private void channelFrame(Frame frame) throws ProtocolException {
    StreamChannel ch = channels.get(frame.channel());
    if (ch == null) {
      if (frame.type() == FrameType.CLOSE && opening.remove(frame.channel())) {
        synchronized (closedIds) {
          closedIds.closed(frame.channel());
        }
        return; // the portal gave up on an OPEN still connecting: connect() will drop it
      }
      if (recentlyClosed(frame.channel())) {
        return; // late frame for a channel that just closed: dropped, not fatal
      }
      throw new ProtocolException(
          frame.type() + " for channel " + frame.channel() + " that is not open");
    }
    switch (frame.type()) {
      case DATA -> {
        Messages.requireData(frame);
        ch.onData(frame.payload());
      }
      case CREDIT -> ch.onCredit(Messages.credit(frame.payload()));
      case EOF -> ch.onEof();
      default -> {
        Reason.decode(frame.payload(), "CLOSE");
        remove(frame.channel());
        ch.abort();
      }
    }
  }

  private void open(int id, Open open) throws ProtocolException {
    if (channels.containsKey(id)) {
      throw new ProtocolException("OPEN for channel " + id + " which is already open");
    }
    if (channels.size() >= ProtocolLimits.MAX_CHANNELS_PER_TUNNEL) {
      refuse(id, Reason.LIMIT_EXCEEDED, "too many channels");
      return;
    }
    TargetSpec target = agent.target(open.target());
    if (target == null) {
      // the agent's own allowlist: the portal can only ask for targets this agent offers
      refuse(id, Reason.UNKNOWN_TARGET, "this agent offers no target '" + open.target() + "'");
      return;
    }
    opening.add(id);
    openers.execute(() -> connect(id, target, open));
  }

  private void connect(int id, TargetSpec target, Open open) {
    ByteStream stream;
    try {
      if (target.kind() == TargetSpec.Kind.TCP) {
        stream = TcpStream.connect(target.host(), target.port());
      } else {
        stream = agent.serial().claim(target.name());
        if (stream == null) {
          boolean busy = agent.serial().isBusy(target.name());
          refuse(
              id,
              busy ? Reason.TARGET_BUSY : Reason.TARGET_UNAVAILABLE,
              busy
                  ? "the serial port is in use by another channel"
                  : "the serial port is not available");
          return;
        }
        if (open.line().isPresent()) {
          stream.line(open.line().get());
        }
      }
    } catch (IOException | RuntimeException e) {
      refuse(id, Reason.TARGET_UNAVAILABLE, target.description() + ": " + e.getMessage());
      return;
    }
    if (!opening.remove(id)) {
      stream.close(); // cancelled by a CLOSE while connecting
      return;
    }
    StreamChannel channel = new StreamChannel(id, stream, this, welcome.windowBytes());
    channels.put(id, channel);
    send(Frame.channel(FrameType.OPENED, id, Frame.EMPTY));
    channel.start();
  }

  private boolean recentlyClosed(int id) {
    synchronized (closedIds) {
      return closedIds.recentlyClosed(id);
    }
  }

  private void refuse(int id, int code, String message) {
    opening.remove(id);
    synchronized (closedIds) {
      closedIds.closed(id);
    }
    send(Frame.channel(FrameType.REFUSED, id, new Reason(code, message).encode()));
  }

  /** A channel ended on the device side: tell the portal. */
  @Override
  public void channelEnded(int id, Reason reason) {
    if (remove(id)) {
      send(Frame.channel(FrameType.CLOSE, id, reason.encode()));
    }
  }

  private boolean remove(int id) {
    synchronized (closedIds) {
      closedIds.closed(id);
    }
    return channels.remove(id) != null;
  }

  /** Tells the portal an UPGRADE it sent was refused or failed, and why. */
  void upgradeFailed(String reason) {
    send(Frame.control(FrameType.UPGRADE_FAILED, AgentUpgrade.failed(reason)));
  }

  /** Whether this tunnel is still up (an upgrade is applied only while it is). */
  boolean live() {
    return !ended;
  }

  /**
   * Ends the tunnel before the process exits to restart on an upgraded jar, waiting up to {@code
   * timeout} for the close to go out, so the portal logs why.
   */
  void closeForUpgrade(String reason, java.time.Duration timeout) {
    FrameSocket s = socket();
    if (s != null) {
      s.close(TunnelCloseCode.GOING_AWAY.code(), reason);
    }
    try {
      endedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void targetStatus(String target, SerialLine.Status status) {
    if (welcome != null) {
      int code =
          switch (status) {
            case OK -> Messages.STATUS_OK;
            case MISSING -> Messages.STATUS_MISSING;
            case ERROR -> Messages.STATUS_ERROR;
          };
      send(
          Frame.control(
              FrameType.TARGET_STATUS,
              Messages.targetStatus(new Messages.TargetStatus(target, code, ""))));
    }
  }

  private void heartbeat() {
    long silent = (System.nanoTime() - lastReceived) / 1_000_000;
    if (silent > welcome.deadAfterMillis()) {
      FrameSocket s = socket();
      if (s != null) {
        s.abort(
            TunnelCloseCode.HEARTBEAT_TIMEOUT.code(),
            "nothing heard from the portal for " + silent + " ms");
      }
    } else {
      send(Frame.control(FrameType.PING, Messages.nonce(++nonce)));
    }
  }

  @Override
  public void onClosed(int code, String reason) {
    ended = true;
    endedLatch.countDown();
    java.util.concurrent.ScheduledFuture<?> beat = heartbeat;
    if (beat != null) {
      beat.cancel(false); // else the timer keeps this session (and its socket) alive forever
    }
    for (StreamChannel ch : channels.values()) {
      ch.abort();
    }
    channels.clear();
    agent.sessionEnded(this, code, reason);
  }
}
