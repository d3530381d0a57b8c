package io.tether.session;

import static io.tether.session.HubFakes.join;
import static io.tether.session.HubFakes.operator;
import static io.tether.session.HubFakes.viewer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.device.SessionChanged;
import io.tether.protocol.Reason;
import io.tether.session.ControlMessage.ResetWhy;
import io.tether.session.ControlMessage.State;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One device target's session, built with fakes of its collaborators and driven on a real Vert.x
 * context: who controls, who gates the device's pace, how observers lag and resync, and every way
 * the session ends.
 */
class SessionHubTest {
  private static final Instant NOW = Instant.parse("2026-12-04T09:00:00Z");
  private static Vertx vertx;

  private Context context;
  private HubFakes.Registry registry;
  private HubFakes.Channels channels;
  private HubFakes.Journal journal;
  private HubFakes.Audits audits;
  private List<SessionChanged> news;
  private SessionHub hub;
  private HubServices services;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void newHub() {
    context = vertx.getOrCreateContext();
    registry = new HubFakes.Registry();
    channels = new HubFakes.Channels();
    journal = new HubFakes.Journal();
    audits = new HubFakes.Audits();
    news = new CopyOnWriteArrayList<>();
    services =
        new HubServices(
            registry, channels, journal, audits, Clock.fixed(NOW, ZoneOffset.UTC), news::add);
    hub = new SessionHub(operator("alice"), context, null, services);
    on(() -> hub.start(1000));
  }

  // --- opening and input ---

  @Test
  void startingAHubAsksForTheDeviceChannel() {
    assertEquals(List.of(hub), channels.opened);
    assertEquals(SessionHub.State.OPENING, hub.state());
  }

  @Test
  void inputBeforeTheDeviceAnswersIsHeldWithInputPausedThenSentInOrder() {
    HubFakes.Sink alice = enter(operator("alice"));
    on(() -> alice.membership.input(Buffer.buffer("ls")));
    on(() -> alice.membership.input(Buffer.buffer(" -l\r")));
    assertTrue(alice.inputPaused, "input is paused while the device has not answered");

    HubFakes.Channel channel = live();

    assertEquals("ls -l\r", channel.toDevice.toString());
    assertFalse(alice.inputPaused, "input resumes once the held input went out");
    assertEquals(State.LIVE, alice.last(ControlMessage.Status.class).state());
    assertEquals(List.of("started"), registry.events);
  }

  @Test
  void onlyTheControllersInputReachesTheDevice() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    HubFakes.Channel channel = live();

    on(() -> bob.membership.input(Buffer.buffer("rm -rf /\r")));
    on(() -> alice.membership.input(Buffer.buffer("uptime\r")));

    assertEquals("uptime\r", channel.toDevice.toString());
    assertEquals(
        new ControlMessage.InputRefused("you are observing: take over to type"),
        bob.last(ControlMessage.InputRefused.class));
    assertEquals(7, hub.bytesIn());
  }

  @Test
  void aFullDeviceWriteQueuePausesTheControllersInputUntilTheChannelIsWritable() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Channel channel = live();
    channel.full = true;

    on(() -> alice.membership.input(Buffer.buffer("x")));
    assertTrue(alice.inputPaused);

    channel.full = false;
    on(hub::onWritable);
    assertFalse(alice.inputPaused);
  }

  @Test
  void serialSettingsGoToTheDeviceOnlyFromTheController() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    HubFakes.Channel channel = live();

    on(
        () ->
            bob.membership.control("line", new JsonObject().put("type", "line").put("baud", 9600)));
    on(
        () ->
            alice.membership.control(
                "line", new JsonObject().put("type", "line").put("baud", 115200)));

    assertEquals(1, channel.lines.size());
    assertEquals(new ControlMessage.LineSent(), alice.last(ControlMessage.LineSent.class));
    assertEquals(
        new ControlMessage.Error("only the controller can change serial settings"),
        bob.last(ControlMessage.Error.class));
  }

  // --- the device's pace ---

  @Test
  void theDeviceGetsCreditOnlyOnceTheControllersSocketWroteTheOutput() {
    HubFakes.Sink alice = enter(operator("alice"));
    live();
    alice.writesComplete = false;
    AtomicInteger credit = new AtomicInteger();

    on(() -> hub.onData(Buffer.buffer("hello"), credit::incrementAndGet));
    assertEquals(0, credit.get(), "no credit while the write is pending");

    on(alice::completeWrites);
    assertEquals(1, credit.get());
  }

  @Test
  void aPausedControllerHoldsTheDevicesCreditUntilItResumes() {
    HubFakes.Sink alice = enter(operator("alice"));
    live();
    AtomicInteger credit = new AtomicInteger();

    on(() -> alice.membership.control("pause", new JsonObject()));
    on(() -> hub.onData(Buffer.buffer("one"), credit::incrementAndGet));
    on(() -> hub.onData(Buffer.buffer("two"), credit::incrementAndGet));
    assertEquals("onetwo", alice.written.toString(), "the output is still written");
    assertEquals(0, credit.get(), "the device gets no credit while the controller is paused");

    on(() -> alice.membership.control("resume", new JsonObject()));
    assertEquals(2, credit.get());
  }

  @Test
  void withoutAControllerOutputIsCreditedAtOnceAndObserversNeverGateIt() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink carol = enter(viewer("carol"));
    live();
    on(() -> alice.membership.control("release", new JsonObject()));
    carol.writesComplete = false;
    AtomicInteger credit = new AtomicInteger();

    on(() -> hub.onData(Buffer.buffer("boot"), credit::incrementAndGet));

    assertEquals(1, credit.get());
    assertNull(hub.controller());
  }

  @Test
  void aTakeOverReleasesTheCreditHeldForThePausedController() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    live();
    AtomicInteger credit = new AtomicInteger();
    on(() -> alice.membership.control("pause", new JsonObject()));
    on(() -> hub.onData(Buffer.buffer("out"), credit::incrementAndGet));
    assertEquals(0, credit.get());

    on(() -> bob.membership.control("take-over", new JsonObject()));

    assertEquals(1, credit.get(), "the paused controller no longer gates the device");
  }

  // --- observers: lag and resync ---

  @Test
  void anObserverThatFallsBehindSkipsOutputAndIsResyncedFromTheRingOnceDrained() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink carol = enter(viewer("carol"));
    live();
    carol.writesComplete = false;
    int chunk = 64 * 1024;
    int fitting = (int) (SessionLimits.OBSERVER_BUFFER_BYTES / chunk);
    AtomicInteger credit = new AtomicInteger();
    for (int i = 0; i < fitting + 2; i++) {
      Buffer out = filled(chunk, (byte) ('a' + i));
      on(() -> hub.onData(out, credit::incrementAndGet));
    }

    assertEquals(fitting + 2, credit.get(), "the lagging observer never slows the device");
    assertEquals((fitting + 2) * chunk, alice.written.length(), "the controller got everything");
    assertEquals(fitting * chunk, carol.written.length(), "the observer skipped what overflowed");
    assertEquals(1, carol.all(ControlMessage.Lagging.class).size(), "told once that it lags");
    assertEquals(0, resets(carol, ResetWhy.RESYNC));

    on(carol::completeWrites);

    assertEquals(1, resets(carol, ResetWhy.RESYNC), "drained: reset, then the recent output");
    byte[] replay = carol.written.getBytes(fitting * chunk, carol.written.length());
    assertTrue(
        replay.length > SessionLimits.RING_BYTES - 1024
            && replay.length <= SessionLimits.RING_BYTES,
        "about the ring's worth from its first safe point: " + replay.length);
    byte[] newest = new byte[replay.length];
    Arrays.fill(newest, (byte) ('a' + fitting + 1));
    assertTrue(Arrays.equals(newest, replay), "the replay is the newest output");
  }

  @Test
  void aPausedObserverLagsAndIsResyncedWhenItResumes() {
    enter(operator("alice"));
    HubFakes.Sink carol = enter(viewer("carol"));
    live();
    on(() -> carol.membership.control("pause", new JsonObject()));

    on(() -> hub.onData(Buffer.buffer("missed"), () -> {}));
    assertEquals(1, carol.all(ControlMessage.Lagging.class).size());
    assertEquals(0, carol.written.length());

    on(() -> carol.membership.control("resume", new JsonObject()));
    assertEquals(1, resets(carol, ResetWhy.RESYNC));
    assertEquals("missed", carol.written.toString(), "the ring replays what it missed");
  }

  @Test
  void aJoinerGetsAResetThenTheRecentOutput() {
    enter(operator("alice"));
    live();
    on(() -> hub.onData(Buffer.buffer("login: "), () -> {}));

    HubFakes.Sink bob = enter(operator("bob"));

    assertEquals(
        List.of(
            new ControlMessage.Status(State.LIVE, "console", null),
            new ControlMessage.Reset(ResetWhy.JOIN)),
        bob.controls.subList(0, 2));
    assertEquals("login: ", bob.written.toString());
  }

  @Test
  void aRawByteParticipantGetsNoReplayOfRecentOutput() {
    enter(operator("alice"));
    live();
    on(() -> hub.onData(Buffer.buffer("old output"), () -> {}));

    HubFakes.Sink link = new HubFakes.Sink(context);
    link.replays = false;
    on(() -> hub.add(join("port-2001", false, "link", JoinRequest.Mode.SHARE), link));

    assertEquals(0, link.written.length());
    assertEquals(0, link.all(ControlMessage.Reset.class).size());
  }

  // --- sharing: take over, hand over, release ---

  @Test
  void theFirstOperatorControlsAndLaterJoinersObserve() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));

    ControlMessage.Session seen = bob.last(ControlMessage.Session.class);
    assertEquals("observer", seen.role());
    assertEquals("alice", seen.controller());
    assertEquals(2, seen.participants().size());
    assertEquals("controller", alice.last(ControlMessage.Session.class).role());
  }

  @Test
  void aTakeOverMakesThePreviousControllerAnObserverAndIsAudited() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));

    on(() -> bob.membership.control("take-over", new JsonObject()));

    assertEquals("bob", hub.controller().who.username());
    assertEquals("observer", alice.last(ControlMessage.Session.class).role());
    assertEquals("controller", bob.last(ControlMessage.Session.class).role());
    assertTrue(audits.lines.contains("bob session.take-over from alice"), audits.lines.toString());
  }

  @Test
  void aViewerCannotTakeOver() {
    enter(operator("alice"));
    HubFakes.Sink carol = enter(viewer("carol"));

    on(() -> carol.membership.control("take-over", new JsonObject()));

    assertEquals("alice", hub.controller().who.username());
    assertEquals(
        new ControlMessage.Error("you may watch this device but not operate it"),
        carol.last(ControlMessage.Error.class));
  }

  @Test
  void theControllerHandsOverToAnOperatorButNotToAViewer() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    HubFakes.Sink carol = enter(viewer("carol"));
    int bobId = bob.last(ControlMessage.Session.class).you();
    int carolId = carol.last(ControlMessage.Session.class).you();

    on(() -> alice.membership.control("hand-over", new JsonObject().put("to", carolId)));
    assertEquals("alice", hub.controller().who.username());
    assertEquals(
        new ControlMessage.Error("hand over to a participant who may operate this device"),
        alice.last(ControlMessage.Error.class));

    on(() -> alice.membership.control("hand-over", new JsonObject().put("to", bobId)));
    assertEquals("bob", hub.controller().who.username());
    assertTrue(audits.lines.contains("alice session.hand-over to bob"), audits.lines.toString());
  }

  @Test
  void onlyTheControllerCanHandOver() {
    enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));

    on(() -> bob.membership.control("hand-over", new JsonObject().put("to", 1)));

    assertEquals("alice", hub.controller().who.username());
    assertEquals(
        new ControlMessage.Error("only the controller can hand over control"),
        bob.last(ControlMessage.Error.class));
  }

  @Test
  void releaseLeavesNobodyInControlUntilSomeoneTakesOver() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));

    on(() -> alice.membership.control("release", new JsonObject()));
    assertNull(hub.controller());
    assertNull(bob.last(ControlMessage.Session.class).controller());

    on(() -> bob.membership.control("take-over", new JsonObject()));
    assertTrue(
        audits.lines.contains("bob session.take-over nobody had control"), audits.lines.toString());
  }

  @Test
  void aLinkInTakeOverModeTakesControlAsItJoins() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink link = new HubFakes.Sink(context);

    on(() -> hub.add(join("port-2001", true, "link", JoinRequest.Mode.TAKE_OVER), link));

    assertEquals("port-2001", hub.controller().who.username());
    assertEquals("observer", alice.last(ControlMessage.Session.class).role());
    assertTrue(audits.lines.contains("port-2001 session.take-over from alice"));
  }

  @Test
  void anExclusiveJoinIsRefusedBusyWhileSomeoneControls() {
    enter(operator("alice"));
    HubFakes.Sink link = new HubFakes.Sink(context);

    on(() -> hub.add(join("port-2001", true, "link", JoinRequest.Mode.EXCLUSIVE), link));

    assertEquals(List.of("4409 busy"), link.closes);
    assertEquals(1, hub.participants().size());
    assertTrue(audits.lines.contains("port-2001 session.refused controlled by alice"));
  }

  @Test
  void aParticipantBeyondTheLimitIsRefused() {
    for (int i = 0; i < SessionLimits.MAX_PARTICIPANTS; i++) {
      enter(viewer("v" + i));
    }
    HubFakes.Sink late = enter(viewer("late"));

    assertEquals(List.of("4429 too-many-participants"), late.closes);
    assertEquals(SessionLimits.MAX_PARTICIPANTS, hub.participants().size());
  }

  @Test
  void eachRoleChangeClosesOneSpanAndOpensTheNextOnceTheSessionHasItsId() {
    enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    on(() -> bob.membership.control("take-over", new JsonObject()));
    assertTrue(journal.entries.isEmpty(), "spans wait for the session's id");

    on(() -> hub.identified(41));

    List<String> spans =
        journal.entries.stream()
            .map(
                e ->
                    e instanceof JournalEntry.SpanOpened o
                        ? "open " + o.seq() + " " + o.username() + " " + o.role()
                        : "close " + ((JournalEntry.SpanClosed) e).seq())
            .toList();
    assertEquals(
        List.of(
            "open 1 alice controller",
            "open 2 bob observer",
            "close 1",
            "open 3 alice observer",
            "close 2",
            "open 4 bob controller"),
        spans);
    assertTrue(journal.entries.stream().allMatch(e -> sessionOf(e) == 41));
  }

  // --- what the live event stream hears ---

  @Test
  void theLiveStreamHearsTheSessionStartChangeHandsAndEndOncePerChange() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    live();
    assertEquals(List.of(), announced(), "a session is announced once it is stored");
    on(() -> hub.identified(41));
    on(() -> bob.membership.control("take-over", new JsonObject()));
    on(hub::watchersChanged); // the roster changes, the session's figures do not
    on(() -> alice.membership.leave(CloseReasons.CLOSED_BY_USER, "alice left"));
    on(() -> bob.membership.leave(CloseReasons.CLOSED_BY_USER, "bob left"));

    assertEquals(
        List.of("41 live alice 2", "41 live bob 2", "41 live bob 1", "41 ended null 0"),
        announced());
    SessionChanged first = news.get(0);
    assertEquals(
        "7 bench console terminal",
        first.deviceId() + " " + first.deviceName() + " " + first.target() + " " + first.kind());
  }

  @Test
  void aSessionTheDeviceRefusedIsNeverAnnounced() {
    enter(operator("alice"));
    on(() -> hub.identified(41));
    on(() -> hub.onRefused(new Reason(Reason.DEVICE_OFFLINE, "no tunnel")));

    assertEquals(List.of(), announced());
  }

  private List<String> announced() {
    return news.stream()
        .map(
            n ->
                n.sessionId()
                    + (n.live() ? " live " : " ended ")
                    + n.controller()
                    + " "
                    + n.people())
        .toList();
  }

  // --- every way a session ends ---

  @Test
  void theLastParticipantLeavingEndsTheSessionWithItsReason() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    HubFakes.Channel channel = live();
    on(() -> hub.identified(41));

    on(() -> bob.membership.leave(CloseReasons.CLOSED_BY_USER, "bob left"));
    assertEquals(SessionHub.State.LIVE, hub.state(), "one participant is still there");
    assertEquals("alice", hub.controller().who.username());

    on(() -> alice.membership.leave(CloseReasons.CLOSED_BY_USER, "the last one left"));

    assertEnded(CloseReasons.CLOSED_BY_USER);
    assertEquals(new Reason(Reason.PEER_CLOSED, CloseReasons.CLOSED_BY_USER), channel.closedWith);
    assertEquals(List.of(), alice.closes, "a participant that left is not closed again");
  }

  @Test
  void aDeviceGoingOfflineEndsTheSessionAsDeviceOffline() {
    HubFakes.Sink alice = enter(operator("alice"));
    live();
    on(() -> hub.identified(41));

    on(() -> hub.onClosed(new Reason(Reason.DEVICE_OFFLINE, "the tunnel closed")));

    assertEquals(
        new ControlMessage.Status(State.OFFLINE, "console", "the tunnel closed"),
        alice.last(ControlMessage.Status.class));
    assertEquals(List.of("1000 device-offline"), alice.closes);
    assertEnded(CloseReasons.DEVICE_OFFLINE);
  }

  @Test
  void revokedAccessOnTheChannelEndsTheSessionAsAccessRevoked() {
    HubFakes.Sink alice = enter(operator("alice"));
    live();
    on(() -> hub.identified(41));

    on(() -> hub.onClosed(new Reason(Reason.ACCESS_REVOKED, "device disabled")));

    assertEquals(List.of("1000 access-revoked"), alice.closes);
    assertEnded(CloseReasons.ACCESS_REVOKED);
  }

  @Test
  void anyOtherChannelCloseEndsTheSessionAsTargetClosed() {
    HubFakes.Sink alice = enter(operator("alice"));
    live();
    on(() -> hub.identified(41));

    on(() -> hub.onClosed(new Reason(Reason.IO_ERROR, "serial port gone")));

    assertEquals(List.of("1000 target-closed"), alice.closes);
    assertEnded(CloseReasons.TARGET_CLOSED);
  }

  @Test
  void anAdminEndClosesEveryParticipantWithThatReason() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink carol = enter(viewer("carol"));
    HubFakes.Channel channel = live();
    on(() -> hub.identified(41));

    on(() -> hub.end(CloseReasons.ENDED_BY_ADMIN, "maintenance"));

    assertEquals(List.of("1000 ended-by-admin"), alice.closes);
    assertEquals(List.of("1000 ended-by-admin"), carol.closes);
    assertEquals(new Reason(Reason.PEER_CLOSED, CloseReasons.ENDED_BY_ADMIN), channel.closedWith);
    assertEnded(CloseReasons.ENDED_BY_ADMIN);
  }

  @Test
  void aKickedParticipantIsClosedAndTheOthersStay() {
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    live();

    on(() -> alice.membership.kick(CloseReasons.ACCESS_REVOKED, "grant removed"));

    assertEquals(List.of("1000 access-revoked"), alice.closes);
    assertEquals(List.of(), bob.closes);
    assertEquals(SessionHub.State.LIVE, hub.state());
    assertNull(hub.controller(), "the kicked controller's control is not passed on");
  }

  @Test
  void kickingTheLastParticipantEndsTheSessionWithTheKicksReason() {
    HubFakes.Sink alice = enter(operator("alice"));
    live();
    on(() -> hub.identified(41));

    on(
        () ->
            alice.membership.kick(
                CloseCode.CREDENTIAL_EXPIRED, CloseReasons.CREDENTIAL_EXPIRED, "idle"));

    assertEquals(List.of("4401 credential-expired"), alice.closes);
    assertEnded(CloseReasons.CREDENTIAL_EXPIRED);
  }

  @Test
  void aRefusedOpenClosesEveryoneAndTheSessionNeverHappened() {
    HubFakes.Sink alice = enter(operator("alice"));

    on(() -> hub.onRefused(new Reason(Reason.TARGET_BUSY, "port in use")));

    assertEquals(
        new ControlMessage.Status(State.BUSY, "console", "port in use"),
        alice.last(ControlMessage.Status.class));
    assertEquals(List.of("4410 target-busy"), alice.closes);
    assertTrue(hub.refused());
    assertEquals(List.of("refused"), registry.events);
    assertTrue(journal.all(JournalEntry.Ended.class).isEmpty(), "no end for what never began");
  }

  @Test
  void anOfflineDeviceRefusesTheOpenWithStatusOffline() {
    HubFakes.Sink alice = enter(operator("alice"));

    on(() -> hub.onRefused(new Reason(Reason.DEVICE_OFFLINE, "the device is offline")));

    assertEquals(State.OFFLINE, alice.last(ControlMessage.Status.class).state());
    assertEquals(List.of("4410 device-offline"), alice.closes);
  }

  @Test
  void anEndBeforeTheSessionHasItsIdIsWrittenOnceItHasOne() {
    HubFakes.Sink alice = enter(operator("alice"));
    on(() -> alice.membership.leave(CloseReasons.CLOSED_BY_USER, "gone"));
    assertTrue(journal.all(JournalEntry.Ended.class).isEmpty());

    on(() -> hub.identified(41));

    assertEnded(CloseReasons.CLOSED_BY_USER);
  }

  @Test
  void aChannelThatOpensAfterTheSessionEndedIsClosedAtOnce() {
    HubFakes.Sink alice = enter(operator("alice"));
    on(() -> alice.membership.leave(CloseReasons.CLOSED_BY_USER, "gone"));
    HubFakes.Channel late = new HubFakes.Channel();

    on(() -> hub.onOpened(late));

    assertEquals(Reason.PEER_CLOSED, late.closedWith.code());
    assertEquals(SessionHub.State.ENDED, hub.state());
  }

  @Test
  void aJoinerReachingAnEndedHubIsSentToTheRegistryForTheNextSession() {
    HubFakes.Sink alice = enter(operator("alice"));
    on(() -> alice.membership.leave(CloseReasons.CLOSED_BY_USER, "gone"));

    HubFakes.Sink bob = enter(operator("bob"));

    assertEquals(List.of("bob"), registry.rejoined.stream().map(JoinRequest::username).toList());
    assertTrue(bob.controls.isEmpty());
  }

  @Test
  void outputAndInputReachTheDataFlowWatchers() {
    HubFakes.Sink alice = enter(operator("alice"));
    live();

    on(() -> hub.onData(Buffer.buffer("prompt> "), () -> {}));
    on(() -> alice.membership.input(Buffer.buffer("help")));

    assertEquals("prompt> help", registry.tapped.toString());
  }

  // --- a session that moves between nodes ---

  @Test
  void aDrainingNodeHandsTheSessionOffWithWhoControlledAndTellsEveryoneToReconnect() {
    HubFakes.Sink alice = enter(user("alice", 1));
    HubFakes.Sink bob = enter(user("bob", 2));
    HubFakes.Channel channel = live();
    on(() -> hub.identified(41));
    on(() -> hub.input(hub.controller(), Buffer.buffer("ls\r")));

    on(() -> hub.handOff(java.time.Duration.ofSeconds(30)));

    assertEquals(List.of("1012 node-draining"), alice.closes);
    assertEquals(List.of("1012 node-draining"), bob.closes);
    assertEquals(
        "node-draining", channel.closedWith.message(), "the agent keeps the serial port open");
    assertTrue(journal.all(JournalEntry.Ended.class).isEmpty(), "the session does not end");
    List<JournalEntry.Moved> moved = journal.all(JournalEntry.Moved.class);
    assertEquals(1, moved.size());
    assertEquals(41, moved.get(0).sessionId());
    assertEquals(1L, moved.get(0).controllerUserId(), "alice controlled it");
    assertEquals(3, moved.get(0).bytesIn());
    assertTrue(registry.events.contains("ended"), "no longer this node's live hub");
  }

  @Test
  void aSessionNotYetStoredHasNothingToMoveAndEnds() {
    HubFakes.Sink alice = enter(user("alice", 1));
    live();

    on(() -> hub.handOff(java.time.Duration.ofSeconds(30)));

    assertEquals(List.of("1000 node-draining"), alice.closes);
    assertTrue(journal.all(JournalEntry.Moved.class).isEmpty());
  }

  @Test
  void aMovingSessionIsClaimedOnlyOnceTheDeviceAnswers() {
    enter(user("bob", 2));
    on(() -> hub.resumable(41));
    assertFalse(registry.events.contains("claim 41"), "a device that refuses costs nothing");

    live();

    assertTrue(registry.events.contains("claim 41"), registry.events.toString());
  }

  @Test
  void aResumedSessionKeepsControlForItsControllerWhoGetsItBackOnReturn() {
    HubFakes.Sink bob = enter(user("bob", 2));
    live();
    assertEquals("bob", hub.controller().who.username(), "bob came back first");

    on(() -> hub.resumed(resume(1L, 30_000)));

    assertNull(hub.controller(), "control waits for alice, who had it");
    assertEquals(41, hub.sessionId());
    HubFakes.Sink carol = enter(user("carol", 3));
    assertNull(hub.controller(), "nor does a newcomer take it");
    HubFakes.Sink alice = enter(user("alice", 1));
    assertEquals("alice", hub.controller().who.username());
    assertTrue(bob.closes.isEmpty() && carol.closes.isEmpty() && alice.closes.isEmpty());
  }

  @Test
  void whenTheReservationEndsTheFirstOperatorTakesControl() throws Exception {
    enter(viewer("dave"));
    enter(user("bob", 2));
    live();

    on(() -> hub.resumed(resume(1L, 50)));
    assertNull(hub.controller());

    Thread.sleep(300); // the reservation's timer runs on the hub's context
    on(() -> {});
    assertEquals("bob", hub.controller().who.username());
  }

  @Test
  void aResumedSessionGoesOnCountingAndNumberingSpansAfterTheDrainedNode() {
    enter(user("alice", 1));
    live();
    on(() -> hub.resumed(resume(1L, 30_000)));

    List<JournalEntry.SpanOpened> spans = journal.all(JournalEntry.SpanOpened.class);
    assertEquals(5, spans.get(0).seq(), "after the 4 spans the drained node wrote");
    assertEquals(100, hub.bytesIn());
    assertEquals(200, hub.bytesOut());
    assertTrue(
        audits.lines.contains("alice session.resume the session moved here from a drained node"),
        audits.lines.toString());
  }

  // --- helpers ---
  // --- helpers ---

  private static JoinRequest user(String name, long id) {
    JoinRequest who = operator(name);
    io.tether.access.Principal principal =
        new io.tether.access.Principal(
            id, name, false, io.tether.access.Principal.Via.WEB_SESSION, id, "csrf");
    return new JoinRequest(
        who.deviceId(),
        who.deviceName(),
        who.target(),
        who.serial(),
        principal,
        name,
        who.via(),
        true,
        who.recording(),
        who.address(),
        who.mode(),
        who.mayReplay(),
        who.group());
  }

  private static SessionResume resume(Long controller, long reservedMillis) {
    return new SessionResume(41, 90_000_000, 3, 4, 100, 200, 0, 0, controller, reservedMillis);
  }

  // --- the session's size ---

  @Test
  void theControllersSizeIsRecordedOnceEachChangeAndAnObserversNever() {
    hub =
        new SessionHub(
            operator("alice"),
            context,
            new SessionRecorder("output", 1 << 20, SessionRecorder.Overflow.GAP, Long.MAX_VALUE),
            services);
    on(() -> hub.start(1000));
    on(() -> hub.identified(7));
    HubFakes.Sink alice = enter(operator("alice"));
    HubFakes.Sink bob = enter(operator("bob"));
    live();
    on(() -> alice.membership.resize(120, 40));
    on(() -> alice.membership.resize(120, 40)); // the same again: nothing new
    on(() -> bob.membership.resize(80, 24)); // an observer's window is its own
    on(() -> alice.membership.resize(100, 30));
    on(() -> bob.membership.control("take-over", new io.vertx.core.json.JsonObject()));
    on(() -> hub.end(CloseReasons.TARGET_CLOSED, "done"));

    List<String> sizes = new java.util.ArrayList<>();
    for (JournalEntry.Chunk c : journal.all(JournalEntry.Chunk.class)) {
      for (io.tether.recording.RecordingFormat.Event e :
          io.tether.recording.RecordingFormat.decode(c.data())) {
        if (e.kind() == io.tether.recording.RecordingFormat.Kind.RESIZE) {
          sizes.add(e.text());
        }
      }
    }
    assertEquals(List.of("120x40", "100x30", "80x24"), sizes, "bob's size counts once he controls");
  }

  private HubFakes.Sink enter(JoinRequest who) {
    HubFakes.Sink sink = new HubFakes.Sink(context);
    on(() -> hub.add(who, sink));
    return sink;
  }

  private HubFakes.Channel live() {
    HubFakes.Channel channel = new HubFakes.Channel();
    on(() -> hub.onOpened(channel));
    assertSame(SessionHub.State.LIVE, hub.state());
    return channel;
  }

  private void assertEnded(String reason) {
    assertEquals(SessionHub.State.ENDED, hub.state());
    assertTrue(hub.participants().isEmpty());
    assertTrue(registry.events.contains("ended"), registry.events.toString());
    List<JournalEntry.Ended> ends = journal.all(JournalEntry.Ended.class);
    assertEquals(1, ends.size(), "the end is written once");
    assertEquals(reason, ends.get(0).reason());
    assertEquals(41, ends.get(0).sessionId());
    assertEquals(NOW, ends.get(0).at());
  }

  private static long sessionOf(JournalEntry e) {
    return e instanceof JournalEntry.SpanOpened o
        ? o.sessionId()
        : ((JournalEntry.SpanClosed) e).sessionId();
  }

  private static int resets(HubFakes.Sink sink, ResetWhy why) {
    return (int) sink.all(ControlMessage.Reset.class).stream().filter(r -> r.why() == why).count();
  }

  private static Buffer filled(int n, byte b) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, b);
    return Buffer.buffer(bytes);
  }

  private void on(Runnable action) {
    HubFakes.settle(context, action);
  }
}
