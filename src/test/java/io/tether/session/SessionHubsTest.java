package io.tether.session;

import static io.tether.session.HubFakes.operator;
import static io.tether.session.HubFakes.viewer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.boot.TetherConfig;
import io.tether.protocol.Reason;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry of this node's sessions with fake tunnels, rows and audit: who may start a session,
 * who joins the live one, and how sessions end from outside (an admin, shutdown, a row that cannot
 * be written, a refused open).
 */
class SessionHubsTest {
  private static final long SESSION_ID = 41;
  private static Vertx vertx;

  private Context context;
  private HubFakes.Channels channels;
  private HubFakes.Audits audits;
  private Rows rows;
  private SessionHubs hubs;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void newRegistry() {
    context = vertx.getOrCreateContext();
    channels = new HubFakes.Channels();
    audits = new HubFakes.Audits();
    rows = new Rows();
    hubs =
        new SessionHubs(
            channels,
            new HubFakes.Journal(),
            rows,
            audits,
            new Recording(),
            vertx,
            Clock.systemUTC(),
            news -> {});
  }

  @Test
  void aViewerCannotStartASession() {
    HubFakes.Sink carol = join(viewer("carol"));

    assertEquals(List.of("4403 no-live-session"), carol.closes);
    assertTrue(channels.opened.isEmpty(), "the device is not opened for a viewer");
  }

  @Test
  void laterJoinersJoinTheLiveSessionAndAViewerMayWatchIt() throws Exception {
    HubFakes.Sink alice = join(operator("alice"));
    HubFakes.Sink bob = join(operator("bob"));
    HubFakes.Sink carol = join(viewer("carol"));

    assertEquals(1, channels.opened.size(), "one device channel for the whole session");
    ControlMessage.Session seen = carol.next(ControlMessage.Session.class);
    assertEquals(3, seen.participants().size());
    assertEquals("alice", seen.controller());
    assertEquals(List.of(), alice.closes);
    assertEquals(List.of(), bob.closes);
  }

  @Test
  void theSessionsIdReachesItsParticipantsOnceItsRowIsWritten() throws Exception {
    HubFakes.Sink alice = join(operator("alice"));

    assertEquals(SESSION_ID, awaitSessionId(alice));
    assertTrue(hubs.live(SESSION_ID).isPresent());
  }

  @Test
  void aSessionWhoseRowCannotBeWrittenEndsAsInternalError() throws Exception {
    rows.fail = true;
    HubFakes.Sink alice = join(operator("alice"));

    assertEquals("1000 internal-error", alice.nextClose());
  }

  @Test
  void aRefusedOpenDiscardsTheSessionRowAndFreesTheTarget() throws Exception {
    HubFakes.Sink alice = join(operator("alice"));
    awaitSessionId(alice);

    on(() -> channels.opened.get(0).onRefused(new Reason(Reason.UNKNOWN_TARGET, "no such port")));

    assertEquals(List.of("4410 unknown-target"), alice.closes);
    assertEquals(SESSION_ID, rows.discarded.poll(5, TimeUnit.SECONDS));
    assertFalse(hubs.live(SESSION_ID).isPresent());
    HubFakes.Sink bob = join(operator("bob"));
    assertEquals(2, channels.opened.size(), "the next join starts a new session");
    assertEquals(List.of(), bob.closes);
  }

  @Test
  void anAdminEndsALiveSessionOfThisNode() throws Exception {
    HubFakes.Sink alice = join(operator("alice"));
    awaitSessionId(alice);

    assertFalse(hubs.end(99, CloseReasons.ENDED_BY_ADMIN, "no such session here"));
    assertTrue(hubs.end(SESSION_ID, CloseReasons.ENDED_BY_ADMIN, "maintenance"));

    assertEquals("1000 ended-by-admin", alice.nextClose());
    assertFalse(hubs.live(SESSION_ID).isPresent());
  }

  @Test
  void shutdownEndsLiveSessionsAndRefusesNewOnesAsGoingAway() throws Exception {
    HubFakes.Sink alice = join(operator("alice"));

    hubs.onShutdown(null);

    assertEquals("1000 portal-shutdown", alice.nextClose());
    HubFakes.Sink bob = join(operator("bob"));
    assertEquals(List.of("1001 portal-shutdown"), bob.closes);
  }

  @Test
  void aDataFlowWatcherIsAuditedAndListedInTheRosterAsAWatcher() throws Exception {
    HubFakes.Sink alice = join(operator("alice"));
    awaitSessionId(alice); // the roster broadcast of the row's id is behind us
    Tap tap = new Tap(hubs.nextWatcherId(), viewer("carol").watching());

    hubs.watch(7, "console", tap);

    ControlMessage.Session seen = alice.next(ControlMessage.Session.class);
    assertEquals(
        ControlMessage.Member.watcher(tap.watcherId(), "carol", "flow"),
        seen.participants().get(1));
    assertTrue(
        audits.lines.contains(
            "carol flow.watch start: device output only (input hidden: no replay right on group"
                + " default)"),
        audits.lines.toString());

    hubs.unwatch(7, "console", tap);
    assertEquals(1, alice.next(ControlMessage.Session.class).participants().size());
    assertTrue(audits.lines.contains("carol flow.watch end"), audits.lines.toString());
  }

  // --- helpers ---

  private HubFakes.Sink join(JoinRequest who) {
    HubFakes.Sink sink = new HubFakes.Sink(context);
    on(() -> hubs.join(who, sink));
    return sink;
  }

  private static long awaitSessionId(HubFakes.Sink sink) throws InterruptedException {
    while (true) {
      ControlMessage.Session s = sink.next(ControlMessage.Session.class);
      if (s.id() != null) {
        return s.id();
      }
    }
  }

  private void on(Runnable action) {
    HubFakes.settle(context, action);
  }

  /** Session rows: every session gets id 41, or none when {@code fail}. */
  private static final class Rows implements SessionStore {
    volatile boolean fail;
    final BlockingQueue<Long> discarded = new LinkedBlockingQueue<>();

    @Override
    public long create(long deviceId, String target, String recording, Instant startedAt)
        throws SQLException {
      if (fail) {
        throw new SQLException("the database is gone");
      }
      return SESSION_ID;
    }

    @Override
    public void discard(long id) {
      discarded.add(id);
    }

    @Override
    public int closeAbandoned() {
      return 0;
    }
  }

  /** The recording settings' defaults. */
  private static final class Recording implements TetherConfig.Recording {
    @Override
    public Duration flush() {
      return Duration.ofSeconds(1);
    }

    @Override
    public long maxBytes() {
      return 64L * 1024 * 1024;
    }

    @Override
    public String onOverflow() {
      return "gap";
    }

    @Override
    public Duration retention() {
      return Duration.ofDays(90);
    }
  }

  /** A data flow watcher that keeps nothing. */
  private record Tap(long watcherId, JoinRequest who) implements FlowTap {
    @Override
    public void traffic(Direction direction, Buffer data) {}

    @Override
    public void session(Long sessionId) {}
  }
}
