package io.tether.session;

import io.tether.device.SessionChanged;
import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The one live session of a device target on this node: owns the tunnel channel and its
 * participants, on one Vert.x context (every method runs there). The controller gates the device's
 * pace (its socket's completed writes grant credit); observers each get a bounded buffer and are
 * resynchronised from the ring of recent output when they fall behind; the recorder takes every
 * byte without blocking. Its collaborators come in as narrow interfaces ({@link HubServices}), so a
 * unit test builds one with fakes.
 */
final class SessionHub implements ChannelConsumer {
  enum State {
    OPENING,
    LIVE,
    ENDED
  }

  final JoinRequest opener;
  final Context context;
  final Instant startedAt;
  private final HubRegistry registry;
  private final DeviceChannels channels;
  private final Journal journal;
  private final SessionAudit audit;
  private final java.time.Clock clock;
  private final Consumer<SessionChanged> news;
  private final SessionRecorder recorder;
  private final OutputRing ring = new OutputRing(SessionLimits.RING_BYTES);
  private final ZmodemWatcher transfers = new ZmodemWatcher(new TransferMarks());
  private final List<Participant> participants = new ArrayList<>();
  private final List<LongFunction<JournalEntry>> beforeId = new ArrayList<>();
  private final ArrayDeque<Buffer> pendingInput = new ArrayDeque<>();
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
  private SessionChanged announced;

  /** A moving session of this target this hub claims once the device answers (0: none). */
  private long claimable;

  /** Span numbers of a resumed session go on after those its drained node wrote. */
  private int spanBase;

  /** Who controlled a resumed session: control waits for them until the window ends. */
  private Long reservedFor;

  private long reserveTimer = -1;

  /** Checks a running file transfer for silence (-1: none runs). */
  private long transferTimer = -1;

  /** The terminal size last recorded (the controller's), "" before any. */
  private String recordedSize = "";

  /** Who controlled the session when the running file transfer started: its audit's actor. */
  private JoinRequest transferBy;

  /**
   * @param recorder null when the target's group does not record
   */
  SessionHub(JoinRequest opener, Context context, SessionRecorder recorder, HubServices services) {
    this.opener = opener;
    this.context = context;
    this.recorder = recorder;
    this.registry = services.registry();
    this.channels = services.channels();
    this.journal = services.journal();
    this.audit = services.audit();
    this.clock = services.clock();
    this.news = services.news();
    this.startedAt = clock.instant();
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

  /** Whether a ZMODEM file transfer runs: control does not change hands until it ends. */
  boolean transferring() {
    return transfers.active();
  }

  String recordingPolicy() {
    return recorder == null ? "off" : opener.recording();
  }

  /** Why control does not change hands now. */
  static final String TRANSFER_RUNS =
      "a file transfer (ZMODEM) is running: control changes hands when it ends";

  // --- lifecycle ---

  void start(long tickMillis) {
    if (recorder != null) {
      tickTimer = context.owner().setPeriodic(tickMillis, id -> run(this::tick));
    }
    channels.open(opener.deviceId(), opener.target(), this, context);
  }

  /**
   * A session of this target moved here from a drained node: this hub goes on with it if it gets
   * live (claimed then, never before: a device that refuses must not cost the moving session).
   */
  void resumable(long id) {
    claimable = id;
    if (state == State.LIVE) {
      registry.claim(this, id);
    }
  }

  /** The row of the session that moved here is ours: it goes on where its drained node stopped. */
  void resumed(SessionResume from) {
    spanBase = from.lastSpanSeq();
    bytesIn += from.bytesIn();
    bytesOut += from.bytesOut();
    if (recorder != null) {
      recorder.resume(from);
    }
    audit(opener, "session.resume", "the session moved here from a drained node");
    if (from.controllerUserId() != null && from.reservedMillis() > 0 && state != State.ENDED) {
      reservedFor = from.controllerUserId();
      reserveTimer =
          context.owner().setTimer(from.reservedMillis(), t -> run(this::reservationEnded));
      Participant back = null;
      for (Participant p : participants) {
        if (reservedFor.equals(p.who.userId()) && p.who.mayControl()) {
          back = p;
          break;
        }
      }
      boolean tookOver = controller != null && controller.who.mode() == JoinRequest.Mode.TAKE_OVER;
      if (!tookOver && controller != back) {
        giveControl(back); // who got control meanwhile gives it back to who had it
      }
      if (back != null) {
        reservationEnded();
      }
    }
    identified(from.sessionId());
  }

  /** Control is no longer kept for a resumed session's controller: the first operator takes it. */
  private void reservationEnded() {
    reservedFor = null;
    if (reserveTimer >= 0) {
      context.owner().cancelTimer(reserveTimer);
      reserveTimer = -1;
    }
    if (controller == null && state != State.ENDED) {
      for (Participant p : participants) {
        if (p.who.mayControl()) {
          giveControl(p);
          return;
        }
      }
    }
  }

  /** The session row exists: entries that waited for its id go out now. */
  void identified(long id) {
    claimable = 0;
    sessionId = id;
    for (LongFunction<JournalEntry> e : beforeId) {
      journal.submit(e.apply(id));
    }
    beforeId.clear();
    if (state == State.ENDED && endReason != null) {
      finishRecording();
    }
    roster.broadcast();
    announce();
  }

  private void tick() {
    if (recorder != null && state != State.ENDED) {
      recorder.tick(sessionId, journal);
    }
  }

  /** Ends the session for everyone, with a reason from {@link CloseReasons}. */
  void end(String reason, String detail) {
    if (state == State.ENDED) {
      return;
    }
    stop(reason);
    transfers.abandon();
    for (Participant p : List.copyOf(participants)) {
      p.releaseHeld();
      p.sink.closed(CloseCode.NORMAL, reason, detail);
    }
    participants.clear();
    controller = null;
    registry.ended(this);
    if (sessionId > 0) {
      finishRecording();
    }
    announce();
  }

  private void stop(String reason) {
    state = State.ENDED;
    endReason = reason;
    if (tickTimer >= 0) {
      context.owner().cancelTimer(tickTimer);
    }
    if (reserveTimer >= 0) {
      context.owner().cancelTimer(reserveTimer);
    }
    if (transferTimer >= 0) {
      context.owner().cancelTimer(transferTimer);
      transferTimer = -1;
    }
    if (channel != null) {
      channel.close(new Reason(Reason.PEER_CLOSED, reason));
      channel = null;
    }
  }

  /**
   * This node drains: the session moves to the node its device reconnects to. The row waits there
   * for {@code window} with the totals and who had control; participants are told to reconnect
   * ({@link CloseCode#NODE_DRAINING}), which rejoins them in the role they had. A session not yet
   * stored has nothing to go on with: it ends.
   */
  void handOff(java.time.Duration window) {
    if (state == State.ENDED) {
      return;
    }
    if (sessionId <= 0) {
      end(CloseReasons.NODE_DRAINING, "this node stopped before the session was stored");
      return;
    }
    Long controllerUserId = controller == null ? null : controller.who.userId();
    stop(CloseReasons.NODE_DRAINING);
    transfers.abandon();
    for (Participant p : List.copyOf(participants)) {
      p.releaseHeld();
      p.sink.closed(
          CloseCode.NODE_DRAINING,
          CloseReasons.NODE_DRAINING,
          "the session moves to another node: reconnect");
    }
    participants.clear();
    controller = null;
    registry.ended(this);
    finishRecording(window, controllerUserId);
  }

  private void finishRecording() {
    finishRecording(null, null);
  }

  /** The recording's rest and the totals: an end, or with a {@code moveWindow} a move. */
  private void finishRecording(java.time.Duration moveWindow, Long controllerUserId) {
    long recordedBytes = 0;
    int gaps = 0;
    if (recorder != null) {
      recorder.finish(sessionId, journal);
      recordedBytes = recorder.recordedBytes();
      gaps = recorder.gaps();
    }
    journal.submit(
        moveWindow == null
            ? new JournalEntry.Ended(
                sessionId, endReason, clock.instant(), bytesIn, bytesOut, recordedBytes, gaps)
            : new JournalEntry.Moved(
                sessionId, moveWindow, controllerUserId, bytesIn, bytesOut, recordedBytes, gaps));
  }

  // --- participants ---

  /** Adds a participant; the first one who may operate while nobody controls takes control. */
  void add(JoinRequest who, ParticipantSink sink) {
    if (state == State.ENDED) {
      registry.join(who, sink); // this session just ended: start or join the next one
      return;
    }
    if (participants.size() >= SessionLimits.MAX_PARTICIPANTS) {
      sink.closed(
          CloseCode.TOO_MANY_PARTICIPANTS, "this session already has the most participants");
      return;
    }
    if (who.mode() == JoinRequest.Mode.EXCLUSIVE && controller != null) {
      String holder = controller.who.username();
      audit(who, "session.refused", "controlled by " + holder);
      sink.closed(CloseCode.BUSY, "controlled by " + holder);
      return;
    }
    if (who.mode() == JoinRequest.Mode.TAKE_OVER && controller != null && transferring()) {
      audit(who, "session.refused", TRANSFER_RUNS);
      sink.closed(CloseCode.BUSY, TRANSFER_RUNS);
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
    boolean keptForAnother = reservedFor != null && !reservedFor.equals(who.userId());
    if (((controller == null && !keptForAnother) || takesOver) && who.mayControl()) {
      controller = p;
      p.role = Participant.Role.CONTROLLER;
      if (reservedFor != null) {
        reservationEnded(); // back in time: control is theirs again
      }
    }
    openSpan(p); // in its first role: a link that takes over never was an observer
    Membership membership = new Membership(this, p);
    sink.context().runOnContext(v -> sink.joined(membership));
    audit(who, "session.join", p.role.wireName());
    if (takesOver) {
      audit(who, "session.take-over", "from " + previous.who.username());
    }
    sink.control(
        new ControlMessage.Status(
            state == State.LIVE ? ControlMessage.State.LIVE : ControlMessage.State.CONNECTING,
            opener.target(),
            null));
    resync(p, ControlMessage.ResetWhy.JOIN);
    roster.broadcast();
    announce();
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
      announce();
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
      recordSize(to);
      closeSpan(to);
      to.role = Participant.Role.CONTROLLER;
      openSpan(to);
      if (to.lagging) {
        resync(to, ControlMessage.ResetWhy.RESYNC);
      }
    }
    roster.broadcast();
    announce();
  }

  /** A data flow watcher came or went: the roster lists watchers too. */
  void watchersChanged() {
    if (state != State.ENDED && !participants.isEmpty()) {
      roster.broadcast();
    }
  }

  List<FlowTap> watchers() {
    return registry.watchers(this);
  }

  /**
   * Tells the live event stream what changed (it became live, its controller or people changed, it
   * ended), once per change. Nothing before it is both stored and live, nor of a session the device
   * refused (it never happened).
   */
  private void announce() {
    if (sessionId <= 0 || state == State.OPENING || refused()) {
      return;
    }
    boolean live = state == State.LIVE;
    LinkedHashSet<String> people = new LinkedHashSet<>();
    participants.forEach(p -> people.add(p.who.username()));
    SessionChanged now =
        new SessionChanged(
            sessionId,
            opener.deviceId(),
            opener.deviceName(),
            opener.target(),
            "terminal",
            live,
            live && controller != null ? controller.who.username() : null,
            live ? people.size() : 0);
    if (!now.equals(announced)) {
      announced = now;
      news.accept(now);
    }
  }

  /** Audits {@code who} doing {@code action} on this hub's device target. */
  void audit(JoinRequest who, String action, String detail) {
    audit.record(who, action, opener, detail);
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
    Instant at = clock.instant();
    journal(
        id ->
            new JournalEntry.SpanOpened(
                id, spanBase + seq, p.who.userId(), p.who.username(), role, p.who.via(), at));
  }

  private void closeSpan(Participant p) {
    int seq = p.spanSeq;
    Instant at = clock.instant();
    journal(id -> new JournalEntry.SpanClosed(id, spanBase + seq, at));
  }

  private void journal(LongFunction<JournalEntry> entry) {
    if (sessionId > 0) {
      journal.submit(entry.apply(sessionId));
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
      p.sink.control(new ControlMessage.InputRefused("you are observing: take over to type"));
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
    int n = data.length();
    bytesIn += n;
    channel.write(data);
    byte[] bytes = data.getBytes();
    transfers.input(
        bytes,
        n,
        System.nanoTime(),
        (from, to, transfer) -> {
          if (!transfer && from < to && state != State.ENDED) { // a file's bytes are not typing
            registry.tap(this, FlowTap.Direction.TO_DEVICE, part(data, from, to));
            record(r -> r.input(bytes, from, to - from));
          }
        });
    if (state == State.ENDED) {
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
      p.sink.control(new ControlMessage.Status(ControlMessage.State.LIVE, opener.target(), null));
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
    if (claimable > 0) {
      registry.claim(this, claimable);
    }
    registry.started(this);
    announce();
  }

  @Override
  public void onRefused(Reason reason) {
    ControlMessage.State status =
        reason.code() == Reason.DEVICE_OFFLINE
            ? ControlMessage.State.OFFLINE
            : reason.code() == Reason.TARGET_BUSY
                ? ControlMessage.State.BUSY
                : ControlMessage.State.CLOSED;
    for (Participant p : participants) {
      p.sink.control(new ControlMessage.Status(status, opener.target(), reason.message()));
    }
    for (Participant p : List.copyOf(participants)) {
      p.sink.closed(CloseCode.REFUSED, reason.label(), reason.message());
    }
    participants.clear();
    state = State.ENDED;
    endReason = null;
    if (tickTimer >= 0) {
      context.owner().cancelTimer(tickTimer);
    }
    registry.refused(this);
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
    transfers.output(
        bytes,
        n,
        System.nanoTime(),
        (from, to, transfer) -> deviceRun(data, bytes, from, to, transfer));
    if (state == State.ENDED) {
      delivered.run(); // the recording could not keep up
      return;
    }
    Participant c = controller; // gets every byte: its terminal runs the transfer
    if (c == null) {
      delivered.run(); // nobody gates the pace: the recorder and observers never do
      return;
    }
    c.pendingBytes += n;
    Runnable once = new Once(delivered);
    c.sink.write(data).onComplete(r -> run(() -> written(c, n, once)));
  }

  /**
   * A run of device output: terminal text goes to the ring, watchers, recording and observers; a
   * file transfer's bytes only to the recording (for the raw export). The controller is served by
   * the caller.
   */
  private void deviceRun(Buffer data, byte[] bytes, int from, int to, boolean transfer) {
    if (from == to || state == State.ENDED) {
      return;
    }
    if (transfer) {
      record(r -> r.transfer(bytes, from, to - from));
      return;
    }
    Buffer part = part(data, from, to);
    ring.append(bytes, from, to - from);
    registry.tap(this, FlowTap.Direction.FROM_DEVICE, part);
    if (!record(r -> r.output(bytes, from, to - from))) {
      return;
    }
    for (Participant p : participants) {
      if (p != controller) {
        offer(p, part);
      }
    }
  }

  /**
   * A note of the portal's (a file transfer) where the transfer's bytes were: observers, late
   * joiners, watchers and the recording get it; the controller never does (its byte stream stays
   * the device's).
   */
  private void note(String text) {
    if (state == State.ENDED) {
      return;
    }
    byte[] shown = ("\r\n[" + text + "]\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ring.append(shown, 0, shown.length);
    registry.tap(this, FlowTap.Direction.FROM_DEVICE, Buffer.buffer(shown));
    if (!record(r -> r.note(text))) {
      return;
    }
    for (Participant p : participants) {
      if (p != controller) {
        offer(p, Buffer.buffer(shown));
      }
    }
  }

  /** A participant's terminal size: the controller's is the session's, and recorded. */
  void resize(Participant p, int cols, int rows) {
    p.cols = cols;
    p.rows = rows;
    if (p == controller) {
      recordSize(p);
    }
  }

  /** Records {@code p}'s size if it said one and it differs from the last recorded. */
  private void recordSize(Participant p) {
    String size = p.cols + "x" + p.rows;
    if (p.cols > 0 && state != State.ENDED && !size.equals(recordedSize)) {
      recordedSize = size;
      record(r -> r.resize(p.cols, p.rows));
    }
  }

  /** Records with the recorder, if any; false when that ended the session (it fell behind). */
  private boolean record(java.util.function.Predicate<SessionRecorder> write) {
    if (recorder == null) {
      return true;
    }
    if (!write.test(recorder)) {
      end(CloseReasons.RECORDING_FAILED, "the recording could not keep up with the database");
      return false;
    }
    recorder.handOver(sessionId, journal);
    return true;
  }

  private static Buffer part(Buffer data, int from, int to) {
    return from == 0 && to == data.length() ? data : data.getBuffer(from, to);
  }

  /** What the session does when the watcher sees a ZMODEM transfer start, carry files and end. */
  private final class TransferMarks implements ZmodemWatcher.Listener {
    @Override
    public void started(FileTransfer.Direction direction) {
      transferBy = controller == null ? opener : controller.who;
      transferTimer =
          context
              .owner()
              .setPeriodic(
                  ZmodemWatcher.IDLE_CHECK_MILLIS,
                  id -> run(() -> transfers.idle(System.nanoTime())));
    }

    @Override
    public void file(FileTransfer file) {
      note(file.note());
    }

    @Override
    public void ended(
        FileTransfer.Direction direction, List<FileTransfer> files, FileTransfer.Outcome outcome) {
      if (transferTimer >= 0) {
        context.owner().cancelTimer(transferTimer);
        transferTimer = -1;
      }
      note("ZMODEM: " + outcome.wireName());
      List<FileTransfer> audited =
          files.isEmpty() ? List.of(new FileTransfer(direction, "no file", -1)) : files;
      for (FileTransfer f : audited) {
        audit(transferBy, "session.file-transfer", f.auditDetail(outcome));
      }
    }
  }

  private void written(Participant p, int n, Runnable ack) {
    p.pendingBytes -= n;
    if (p == controller && p.paused) {
      p.heldAcks.add(ack);
    } else {
      ack.run();
    }
    if (p.lagging && p.pendingBytes == 0 && !p.paused) {
      resync(p, ControlMessage.ResetWhy.RESYNC);
    }
  }

  /** An observer gets output while it keeps up; one that falls behind skips and is resynced. */
  private void offer(Participant p, Buffer data) {
    if (p.lagging) {
      return;
    }
    if (p.paused || p.pendingBytes + data.length() > SessionLimits.OBSERVER_BUFFER_BYTES) {
      p.lagging = true;
      p.sink.control(new ControlMessage.Lagging());
      return;
    }
    p.pendingBytes += data.length();
    p.sink.write(data).onComplete(r -> run(() -> written(p, data.length(), () -> {})));
  }

  /** A terminal reset, then the recent output from a safe point, then live output. */
  private void resync(Participant p, ControlMessage.ResetWhy why) {
    p.lagging = false;
    if (!p.sink.replaysRecentOutput()) {
      return; // skipped bytes stay skipped: a byte stream cannot redraw
    }
    p.sink.control(new ControlMessage.Reset(why));
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
        resync(p, ControlMessage.ResetWhy.RESYNC);
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
        p.sink.control(
            new ControlMessage.Status(
                ControlMessage.State.OFFLINE, opener.target(), reason.message()));
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
