package io.tether.session;

import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The one live session of a device target on this node: owns the tunnel channel and its
 * participants, on one Vert.x context (every method runs there). The controller gates the device's
 * pace (its socket's completed writes grant credit); observers each get a bounded buffer and are
 * resynchronised from the ring of recent output when they fall behind; the recorder takes every
 * byte without blocking.
 */
final class SessionHub implements ChannelConsumer {
  enum State {
    OPENING,
    LIVE,
    ENDED
  }

  final JoinRequest opener;
  final Context context;
  final Instant startedAt = Instant.now();
  private final SessionHubs hubs;
  private final SessionRecorder recorder;
  private final OutputRing ring = new OutputRing(SessionLimits.RING_BYTES);
  private final List<Participant> participants = new ArrayList<>();
  private final List<LongFunction<JournalEntry>> beforeId = new ArrayList<>();
  private final java.util.ArrayDeque<Buffer> pendingInput = new java.util.ArrayDeque<>();
  private final Roster roster = new Roster(this);
  private State state = State.OPENING;
  private long sessionId;
  private DeviceChannel channel;
  private Participant controller;
  private String endReason;
  private int nextParticipantId = 1;
  private int nextSpanSeq = 1;
  private volatile long bytesIn;
  private volatile long bytesOut;
  private long tickTimer = -1;

  SessionHub(SessionHubs hubs, JoinRequest opener, Context context, SessionRecorder recorder) {
    this.hubs = hubs;
    this.opener = opener;
    this.context = context;
    this.recorder = recorder;
  }

  /** Runs {@code action} on the hub's context. */
  void run(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  long sessionId() {
    return sessionId;
  }

  State state() {
    return state;
  }

  List<Participant> participants() {
    return participants;
  }

  Participant controller() {
    return controller;
  }

  // read from request threads for display: a slightly stale figure is fine
  long bytesIn() {
    return bytesIn;
  }

  long bytesOut() {
    return bytesOut;
  }

  long recordedBytes() {
    return recorder == null ? 0 : recorder.recordedBytes();
  }

  /** The device refused the open: the session never happened. */
  boolean refused() {
    return state == State.ENDED && endReason == null;
  }

  String recordingPolicy() {
    return recorder == null ? "off" : opener.recording();
  }

  // --- lifecycle ---

  void start(long tickMillis) {
    if (recorder != null) {
      tickTimer = context.owner().setPeriodic(tickMillis, id -> run(this::tick));
    }
    hubs.tunnels()
        .open(opener.deviceId(), opener.target(), java.util.Optional.empty(), this, context);
  }

  /** The session row exists: entries that waited for its id go out now. */
  void identified(long id) {
    sessionId = id;
    for (LongFunction<JournalEntry> e : beforeId) {
      hubs.journal().submit(e.apply(id));
    }
    beforeId.clear();
    if (state == State.ENDED && endReason != null) {
      finishRecording();
    }
    roster.broadcast();
  }

  private void tick() {
    if (recorder != null && state != State.ENDED) {
      recorder.tick(sessionId, hubs.journal());
    }
  }

  /** Ends the session for everyone, with a reason from {@link CloseReasons}. */
  void end(String reason, String detail) {
    if (state == State.ENDED) {
      return;
    }
    boolean wasLive = state == State.LIVE;
    state = State.ENDED;
    endReason = reason;
    if (tickTimer >= 0) {
      context.owner().cancelTimer(tickTimer);
    }
    if (channel != null) {
      channel.close(new Reason(Reason.PEER_CLOSED, reason));
      channel = null;
    }
    for (Participant p : List.copyOf(participants)) {
      p.releaseHeld();
      p.sink.closed(1000, reason, detail);
    }
    participants.clear();
    controller = null;
    hubs.ended(this, wasLive);
    if (sessionId > 0) {
      finishRecording();
    }
  }

  private void finishRecording() {
    long recordedBytes = 0;
    int gaps = 0;
    if (recorder != null) {
      recorder.finish(sessionId, hubs.journal());
      recordedBytes = recorder.recordedBytes();
      gaps = recorder.gaps();
    }
    hubs.journal()
        .submit(
            new JournalEntry.Ended(
                sessionId, endReason, Instant.now(), bytesIn, bytesOut, recordedBytes, gaps));
  }

  // --- participants ---

  /** Adds a participant; the first one who may operate while nobody controls takes control. */
  void add(JoinRequest who, ParticipantSink sink) {
    if (state == State.ENDED) {
      hubs.join(who, sink); // this session just ended: start or join the next one
      return;
    }
    if (participants.size() >= SessionLimits.MAX_PARTICIPANTS) {
      sink.closed(4429, "too-many-participants", "this session already has the most participants");
      return;
    }
    if (who.mode() == JoinRequest.Mode.EXCLUSIVE && controller != null) {
      String holder = controller.who.username();
      hubs.audit(who, "session.refused", this, "controlled by " + holder);
      sink.closed(4409, "busy", "controlled by " + holder);
      return;
    }
    Participant p = new Participant(nextParticipantId++, who, sink);
    participants.add(p);
    Participant previous = controller;
    boolean takesOver = who.mode() == JoinRequest.Mode.TAKE_OVER && previous != null;
    if (takesOver) {
      previous.releaseHeld();
      closeSpan(previous);
      previous.role = Participant.Role.OBSERVER;
      openSpan(previous);
    }
    if ((controller == null || takesOver) && who.mayControl()) {
      controller = p;
      p.role = Participant.Role.CONTROLLER;
    }
    openSpan(p); // in its first role: a link that takes over never was an observer
    Membership membership = new Membership(this, p, hubs);
    sink.context().runOnContext(v -> sink.joined(membership));
    hubs.audit(who, "session.join", this, p.role.wireName());
    if (takesOver) {
      hubs.audit(who, "session.take-over", this, "from " + previous.who.username());
    }
    sink.control(Roster.status(state == State.LIVE ? "live" : "connecting", opener.target(), null));
    resync(p, "join");
    roster.broadcast();
  }

  /** A participant leaves (closed its terminal, lost access); the last one ends the session. */
  void leave(Participant p, String reasonIfLast, String detail) {
    if (!participants.remove(p)) {
      return;
    }
    closeSpan(p);
    p.releaseHeld();
    if (controller == p) {
      controller = null;
    }
    if (participants.isEmpty()) {
      end(reasonIfLast, detail);
    } else {
      roster.broadcast();
    }
  }

  /** Control changes hands: {@code to} controls (or nobody when null); audited by the caller. */
  void giveControl(Participant to) {
    Participant from = controller;
    if (from == to || (to != null && !participants.contains(to))) {
      return; // a take-over that arrives after its participant left (closed for flooding)
    }
    if (from != null) {
      from.releaseHeld();
      closeSpan(from);
      from.role = Participant.Role.OBSERVER;
      openSpan(from);
    }
    controller = to;
    if (to != null) {
      closeSpan(to);
      to.role = Participant.Role.CONTROLLER;
      openSpan(to);
      if (to.lagging) {
        resync(to, "resync");
      }
    }
    roster.broadcast();
  }

  /** A data flow watcher came or went: the roster lists watchers too. */
  void watchersChanged() {
    if (state != State.ENDED && !participants.isEmpty()) {
      roster.broadcast();
    }
  }

  List<FlowTap> watchers() {
    return hubs.watchers(this);
  }

  Participant participant(int id) {
    for (Participant p : participants) {
      if (p.id == id) {
        return p;
      }
    }
    return null;
  }

  private void openSpan(Participant p) {
    p.spanSeq = nextSpanSeq++;
    int seq = p.spanSeq;
    String role = p.role.wireName();
    Instant at = Instant.now();
    journal(
        id ->
            new JournalEntry.SpanOpened(
                id, seq, p.who.userId(), p.who.username(), role, p.who.via(), at));
  }

  private void closeSpan(Participant p) {
    int seq = p.spanSeq;
    Instant at = Instant.now();
    journal(id -> new JournalEntry.SpanClosed(id, seq, at));
  }

  private void journal(LongFunction<JournalEntry> entry) {
    if (sessionId > 0) {
      hubs.journal().submit(entry.apply(sessionId));
    } else {
      beforeId.add(entry);
    }
  }

  // --- bytes to the device ---

  /** Keystrokes from a participant: only the controller's reach the device. */
  void input(Participant p, Buffer data) {
    if (state == State.ENDED || !participants.contains(p)) {
      return;
    }
    if (controller != p) {
      p.sink.control(
          new JsonObject()
              .put("type", "input-refused")
              .put("detail", "you are observing: take over to type"));
      return;
    }
    if (channel == null) {
      if (state == State.OPENING) {
        // typed before the device answered (a link client talks at once): held, input paused
        pendingInput.add(data);
        p.sink.pauseInput();
      }
      return;
    }
    send(p, data);
  }

  private void send(Participant p, Buffer data) {
    bytesIn += data.length();
    channel.write(data);
    hubs.tap(this, FlowTap.Direction.TO_DEVICE, data);
    if (recorder != null && !recorder.input(data.getBytes())) {
      end(CloseReasons.RECORDING_FAILED, "the recording could not keep up with the database");
      return;
    }
    if (channel.writeQueueFull()) {
      p.sink.pauseInput();
    }
  }

  boolean sendLine(Participant p, io.tether.protocol.LineSettings settings) {
    if (controller != p || channel == null) {
      return false;
    }
    channel.line(settings);
    return true;
  }

  // --- bytes from the device (ChannelConsumer) ---

  @Override
  public void onOpened(DeviceChannel opened) {
    if (state == State.ENDED) {
      opened.close(new Reason(Reason.PEER_CLOSED, "the session ended before the device answered"));
      return;
    }
    channel = opened;
    state = State.LIVE;
    for (Participant p : participants) {
      p.sink.control(Roster.status("live", opener.target(), null));
    }
    if (controller != null) {
      while (!pendingInput.isEmpty() && state == State.LIVE) {
        send(controller, pendingInput.removeFirst());
      }
      if (channel != null && !channel.writeQueueFull()) {
        controller.sink.resumeInput();
      }
    }
    pendingInput.clear();
    hubs.started(this);
  }

  @Override
  public void onRefused(Reason reason) {
    String status =
        reason.code() == Reason.DEVICE_OFFLINE
            ? "offline"
            : reason.code() == Reason.TARGET_BUSY ? "busy" : "closed";
    for (Participant p : participants) {
      p.sink.control(Roster.status(status, opener.target(), reason.message()));
    }
    for (Participant p : List.copyOf(participants)) {
      p.sink.closed(4410, reason.label(), reason.message());
    }
    participants.clear();
    state = State.ENDED;
    endReason = null;
    if (tickTimer >= 0) {
      context.owner().cancelTimer(tickTimer);
    }
    hubs.refused(this);
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    if (state == State.ENDED) {
      delivered.run();
      return;
    }
    int n = data.length();
    bytesOut += n;
    byte[] bytes = data.getBytes();
    ring.append(bytes, 0, n);
    hubs.tap(this, FlowTap.Direction.FROM_DEVICE, data);
    if (recorder != null && !recorder.output(bytes)) {
      delivered.run();
      end(CloseReasons.RECORDING_FAILED, "the recording could not keep up with the database");
      return;
    }
    for (Participant p : participants) {
      if (p != controller) {
        offer(p, data);
      }
    }
    Participant c = controller;
    if (c == null) {
      delivered.run(); // nobody gates the pace: the recorder and observers never do
      return;
    }
    c.pendingBytes += n;
    Runnable once = new Once(delivered);
    c.sink.write(data).onComplete(r -> run(() -> written(c, n, once)));
  }

  private void written(Participant p, int n, Runnable ack) {
    p.pendingBytes -= n;
    if (p == controller && p.paused) {
      p.heldAcks.add(ack);
    } else {
      ack.run();
    }
    if (p.lagging && p.pendingBytes == 0 && !p.paused) {
      resync(p, "resync");
    }
  }

  /** An observer gets output while it keeps up; one that falls behind skips and is resynced. */
  private void offer(Participant p, Buffer data) {
    if (p.lagging) {
      return;
    }
    if (p.paused || p.pendingBytes + data.length() > SessionLimits.OBSERVER_BUFFER_BYTES) {
      p.lagging = true;
      p.sink.control(new JsonObject().put("type", "lagging"));
      return;
    }
    p.pendingBytes += data.length();
    p.sink.write(data).onComplete(r -> run(() -> written(p, data.length(), () -> {})));
  }

  /** A terminal reset, then the recent output from a safe point, then live output. */
  private void resync(Participant p, String why) {
    p.lagging = false;
    if (!p.sink.replaysRecentOutput()) {
      return; // skipped bytes stay skipped: a byte stream cannot redraw
    }
    p.sink.control(new JsonObject().put("type", "reset").put("why", why));
    byte[] recent = ring.snapshot();
    if (recent.length > 0) {
      p.pendingBytes += recent.length;
      p.sink
          .write(Buffer.buffer(recent))
          .onComplete(r -> run(() -> written(p, recent.length, () -> {})));
    }
  }

  /** The browser's flow control: a paused controller withholds credit, an observer skips. */
  void pause(Participant p, boolean paused) {
    p.paused = paused;
    if (!paused) {
      if (p == controller) {
        p.releaseHeld();
      }
      if (p.lagging && p.pendingBytes == 0) {
        resync(p, "resync");
      }
    }
  }

  @Override
  public void onEof() {
    // the device finished sending; input may still go to it until the channel closes
  }

  @Override
  public void onClosed(Reason reason) {
    channel = null;
    if (reason.code() == Reason.DEVICE_OFFLINE) {
      for (Participant p : participants) {
        p.sink.control(Roster.status("offline", opener.target(), reason.message()));
      }
      end(CloseReasons.DEVICE_OFFLINE, reason.message());
    } else if (reason.code() == Reason.ACCESS_REVOKED) {
      end(CloseReasons.ACCESS_REVOKED, reason.message());
    } else {
      end(CloseReasons.TARGET_CLOSED, reason.toString());
    }
  }

  @Override
  public void onWritable() {
    if (controller != null) {
      controller.sink.resumeInput();
    }
  }

  /** Runs the wrapped acknowledgement once, however many paths reach it. */
  private static final class Once implements Runnable {
    private Runnable action;

    Once(Runnable action) {
      this.action = action;
    }

    @Override
    public void run() {
      Runnable a = action;
      action = null;
      if (a != null) {
        a.run();
      }
    }
  }
}
