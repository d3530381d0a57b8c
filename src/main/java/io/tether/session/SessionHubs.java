package io.tether.session;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.audit.AsyncAudit;
import io.tether.boot.TetherConfig;
import io.tether.cluster.Membership;
import io.tether.consolelog.ConsoleLogs;
import io.tether.device.SessionChanged;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The live sessions of this node, one hub per device target: joining starts a session or joins the
 * live one. Also the registry of data flow watchers, which see a target's traffic without taking
 * part.
 */
@ApplicationScoped
public class SessionHubs implements HubRegistry {
  private static final Logger LOG = Logger.getLogger(SessionHubs.class);

  /** How long shutdown waits for live sessions to be told and their ends queued. */
  static final long SHUTDOWN_WAIT_MILLIS = 2000;

  private final Journal journal;
  private final SessionStore rows;
  private final SessionAudit audit;
  private final TetherConfig.Recording recording;
  private final Vertx vertx;
  private final HubServices services;

  private final ConcurrentHashMap<String, SessionHub> hubs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<FlowTap>> taps = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong nextWatcherId =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean shuttingDown;

  /** Whether this node takes new sessions (a cluster node that lost its heartbeat does not). */
  private BooleanSupplier serving = () -> true;

  /** A cluster node: its sessions move to another node when it drains. */
  private boolean cluster;

  /** How long a moving session waits for a node to resume it; its controller, to take control. */
  public static final java.time.Duration MOVE_WINDOW = java.time.Duration.ofSeconds(30);

  @Inject
  SessionHubs(
      Tunnels tunnels,
      SessionJournal journal,
      SessionRows rows,
      AsyncAudit audit,
      TetherConfig config,
      Vertx vertx,
      Event<SessionChanged> news,
      Membership membership,
      ConsoleLogs logs) {
    this(
        DeviceChannels.of(tunnels, logs),
        journal,
        rows,
        SessionAudit.of(audit),
        config.recording(),
        vertx,
        Clock.systemUTC(),
        news::fire);
    this.serving = membership::serving;
    this.cluster = membership.enabled();
  }

  SessionHubs(
      DeviceChannels channels,
      Journal journal,
      SessionStore rows,
      SessionAudit audit,
      TetherConfig.Recording recording,
      Vertx vertx,
      Clock clock,
      Consumer<SessionChanged> news) {
    this.journal = journal;
    this.rows = rows;
    this.audit = audit;
    this.recording = recording;
    this.vertx = vertx;
    this.services = new HubServices(this, channels, journal, audit, clock, news);
  }

  void onStart(@Observes StartupEvent event) {
    try {
      int closed = rows.closeAbandoned();
      if (closed > 0) {
        LOG.infof(
            "closed %d session(s) left unfinished by the last run (%s)",
            closed, CloseReasons.PORTAL_CRASHED);
      }
    } catch (java.sql.SQLException e) {
      LOG.warnf("could not close unfinished sessions: %s", e.getMessage());
    }
  }

  /** Joins the live session of the request's target or starts one; call on the sink's context. */
  @Override
  public void join(JoinRequest who, ParticipantSink sink) {
    if (shuttingDown) {
      sink.closed(CloseCode.GOING_AWAY, "the portal is shutting down");
      return;
    }
    SessionHub hub;
    synchronized (hubs) {
      hub = hubs.get(who.key());
      if (hub == null) {
        if (!serving.getAsBoolean()) {
          sink.closed(CloseCode.GOING_AWAY, "this node takes no new sessions now: reconnect");
          return;
        }
        if (!who.mayControl()) {
          sink.closed(
              CloseCode.NO_LIVE_SESSION,
              "nobody is using this target: a viewer can watch a live session but not start one");
          return;
        }
        hub = startHub(who, sink.context());
      }
    }
    SessionHub joined = hub;
    joined.run(() -> joined.add(who, sink));
  }

  private SessionHub startHub(JoinRequest who, Context context) {
    TetherConfig.Recording settings = recording;
    SessionRecorder recorder =
        "off".equals(who.recording())
            ? null
            : new SessionRecorder(
                who.recording(),
                settings.maxBytes(),
                "end".equals(settings.onOverflow())
                    ? SessionRecorder.Overflow.END
                    : SessionRecorder.Overflow.GAP,
                settings.flush().toNanos() / 2000);
    SessionHub hub = new SessionHub(who, context, recorder, services);
    hubs.put(who.key(), hub);
    vertx
        .executeBlocking(
            () -> {
              // a session that moved here from a drained node goes on once the device answers
              // (only a cluster has moving sessions: one node asks nothing more than before)
              java.util.OptionalLong moving =
                  cluster
                      ? rows.resumable(who.deviceId(), who.target())
                      : java.util.OptionalLong.empty();
              return moving.isPresent()
                  ? new Stored(moving.getAsLong(), true)
                  : new Stored(create(hub), false);
            },
            false)
        .onComplete(
            r -> {
              if (r.failed()) {
                notStored(hub, r.cause());
              } else if (r.result().moving()) {
                hub.run(() -> hub.resumable(r.result().id()));
              } else {
                hub.run(() -> identified(hub, r.result().id()));
              }
            });
    hub.run(() -> hub.start(Math.max(50, settings.flush().toMillis() / 4)));
    return hub;
  }

  /** A new hub's row: a new one ({@code id} its own), or a moving one it may claim. */
  private record Stored(long id, boolean moving) {}

  /** A claim's outcome: the moving session resumed, or a new row when it was gone. */
  private record Claimed(SessionResume resume, long createdId) {}

  private long create(SessionHub hub) throws java.sql.SQLException {
    return rows.create(
        hub.opener.deviceId(), hub.opener.target(), hub.recordingPolicy(), hub.startedAt);
  }

  private static void notStored(SessionHub hub, Throwable cause) {
    LOG.warnf("session row not written: %s", cause.getMessage());
    hub.run(() -> hub.end(CloseReasons.INTERNAL_ERROR, "the session could not be stored"));
  }

  @Override
  public void claim(SessionHub hub, long movingSessionId) {
    vertx
        .executeBlocking(
            () -> {
              Optional<SessionResume> resume = rows.claim(movingSessionId);
              return resume.isPresent()
                  ? new Claimed(resume.get(), 0)
                  : new Claimed(null, create(hub));
            },
            false)
        .onComplete(
            r -> {
              if (r.failed()) {
                notStored(hub, r.cause());
              } else if (r.result().resume() != null) {
                hub.run(() -> resumed(hub, r.result().resume()));
              } else {
                hub.run(() -> identified(hub, r.result().createdId()));
              }
            });
  }

  private void resumed(SessionHub hub, SessionResume resume) {
    hub.resumed(resume);
    for (FlowTap tap : tapsOf(hub)) {
      tap.session(resume.sessionId());
    }
  }

  private void identified(SessionHub hub, long id) {
    if (hub.refused()) {
      discard(id);
      return;
    }
    hub.identified(id);
    for (FlowTap tap : tapsOf(hub)) {
      tap.session(id);
    }
  }

  @Override
  public void started(SessionHub hub) {
    for (FlowTap tap : tapsOf(hub)) {
      tap.session(hub.sessionId() > 0 ? hub.sessionId() : null);
    }
  }

  @Override
  public void refused(SessionHub hub) {
    hubs.remove(hub.opener.key(), hub);
    if (hub.sessionId() > 0) {
      discard(hub.sessionId());
    }
  }

  private void discard(long id) {
    vertx.executeBlocking(
        () -> {
          rows.discard(id);
          return null;
        },
        false);
  }

  @Override
  public void ended(SessionHub hub) {
    hubs.remove(hub.opener.key(), hub);
    for (FlowTap tap : tapsOf(hub)) {
      tap.session(null);
    }
  }

  /**
   * Ends a live session of this node and waits (bounded) until its end is written, so the caller
   * reads it back ended; false when this node holds no such session.
   */
  public boolean end(long sessionId, String reason, String detail) {
    for (SessionHub hub : hubs.values()) {
      if (hub.sessionId() == sessionId) {
        java.util.concurrent.CompletableFuture<Void> ended =
            new java.util.concurrent.CompletableFuture<>();
        hub.run(
            () -> {
              hub.end(reason, detail);
              ended.complete(null);
            });
        try {
          ended.get(END_WAIT_MILLIS, TimeUnit.MILLISECONDS);
          journal.awaitDrained(java.time.Duration.ofMillis(END_WAIT_MILLIS));
        } catch (Exception e) {
          LOG.debugf("ending session %d: %s", sessionId, e);
        }
        return true;
      }
    }
    return false;
  }

  /** How long an admin's end waits for the session's end to be stored. */
  static final long END_WAIT_MILLIS = 5000;

  /** The live hub of a session on this node. */
  Optional<SessionHub> live(long sessionId) {
    return hubs.values().stream().filter(h -> h.sessionId() == sessionId).findFirst();
  }

  List<SessionHub> all() {
    return List.copyOf(hubs.values());
  }

  // --- data flow watchers ---

  /**
   * Starts watching a target: audited, listed in the live session's roster, and told about the live
   * session, if any.
   */
  void watch(long deviceId, String target, FlowTap tap) {
    String key = deviceId + "/" + target;
    taps.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(tap);
    JoinRequest who = tap.who();
    audit.record(
        who,
        "flow.watch",
        who,
        tap.seesInput()
            ? "start: both directions"
            : "start: device output only (input hidden: no replay right on group "
                + who.group()
                + ")");
    SessionHub hub = hubs.get(key);
    tap.session(hub == null || hub.state() != SessionHub.State.LIVE ? null : hub.sessionId());
    if (hub != null) {
      hub.run(hub::watchersChanged);
    }
  }

  /** Stops watching (the socket closed or was revoked); audited once. */
  void unwatch(long deviceId, String target, FlowTap tap) {
    String key = deviceId + "/" + target;
    boolean[] removed = {false};
    taps.computeIfPresent(
        key,
        (k, set) -> {
          removed[0] = set.remove(tap);
          return set.isEmpty() ? null : set;
        });
    if (!removed[0]) {
      return;
    }
    audit.record(tap.who(), "flow.watch", tap.who(), "end");
    SessionHub hub = hubs.get(key);
    if (hub != null) {
      hub.run(hub::watchersChanged);
    }
  }

  /** A roster id for a new watcher: its own series, so never a participant's id. */
  long nextWatcherId() {
    return nextWatcherId.incrementAndGet();
  }

  /** The watchers of a hub's target, oldest first, as its roster lists them. */
  @Override
  public List<FlowTap> watchers(SessionHub hub) {
    return tapsOf(hub).stream()
        .sorted(java.util.Comparator.comparingLong(FlowTap::watcherId))
        .toList();
  }

  @Override
  public void tap(SessionHub hub, FlowTap.Direction direction, Buffer data) {
    Set<FlowTap> watching = taps.get(hub.opener.key());
    if (watching != null) {
      for (FlowTap tap : watching) {
        if (direction == FlowTap.Direction.FROM_DEVICE || tap.seesInput()) {
          tap.traffic(direction, data);
        }
      }
    }
  }

  private Set<FlowTap> tapsOf(SessionHub hub) {
    return taps.getOrDefault(hub.opener.key(), Set.of());
  }

  /** Declared dead while away: every session here ends {@code node-lost} (the rows already did). */
  void onFenced(@Observes io.tether.cluster.NodeFenced event) {
    for (SessionHub hub : all()) {
      hub.run(() -> hub.end(CloseReasons.NODE_LOST, "this node lost its place in the cluster"));
    }
  }

  /**
   * Live sessions end with {@code portal-shutdown} before the tunnels close. A cluster node drains
   * instead: sessions on serial targets move to the node their device reconnects to ({@link
   * #MOVE_WINDOW}), those on TCP targets (a stream cannot survive its tunnel) end {@code
   * node-draining}.
   */
  void onShutdown(@Observes @Priority(100) ShutdownDelayInitiatedEvent event) {
    shuttingDown = true;
    List<SessionHub> live = all();
    CountDownLatch done = new CountDownLatch(live.size());
    for (SessionHub hub : live) {
      hub.run(
          () -> {
            if (!cluster) {
              hub.end(CloseReasons.PORTAL_SHUTDOWN, "the portal is shutting down");
            } else if (hub.opener.serial()) {
              hub.handOff(MOVE_WINDOW);
            } else {
              hub.end(
                  CloseReasons.NODE_DRAINING,
                  "this node stopped: a stream to a TCP target cannot move to another node");
            }
            done.countDown();
          });
    }
    try {
      done.await(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
