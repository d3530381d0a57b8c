package io.tether.session;

import static io.tether.session.HubFakes.join;
import static io.tether.session.HubFakes.operator;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.device.SessionChanged;
import io.tether.recording.RecordingFormat;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session while a ZMODEM transfer recorded from lrzsz goes through it: the controller gets every
 * byte, everyone else a note instead of the binary, control stays put, the recording keeps the
 * bytes for raw and the note for text, and the audit log gets the file.
 */
class SessionHubTransferTest {
  private static final String NOTE = "[ZMODEM: small.bin, 2.9 KiB, device → user]";
  private static Vertx vertx;

  private Context context;
  private HubFakes.Registry registry;
  private HubFakes.Journal journal;
  private HubFakes.Audits audits;
  private SessionHub hub;
  private HubFakes.Sink alice;
  private HubFakes.Sink bob;
  private HubFakes.Channel channel;
  private final ByteArrayOutputStream deviceSent = new ByteArrayOutputStream();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void liveSessionWithAnObserver() {
    context = vertx.getOrCreateContext();
    registry = new HubFakes.Registry();
    journal = new HubFakes.Journal();
    audits = new HubFakes.Audits();
    List<SessionChanged> news = new CopyOnWriteArrayList<>();
    HubServices services =
        new HubServices(
            registry,
            new HubFakes.Channels(),
            journal,
            audits,
            Clock.fixed(Instant.parse("2026-12-09T09:00:00Z"), ZoneOffset.UTC),
            news::add);
    SessionRecorder recorder =
        new SessionRecorder("all", 1 << 24, SessionRecorder.Overflow.GAP, Long.MAX_VALUE);
    hub = new SessionHub(operator("alice"), context, recorder, services);
    on(() -> hub.start(60_000));
    on(() -> hub.identified(41));
    alice = enter(operator("alice"));
    bob = enter(operator("bob"));
    channel = new HubFakes.Channel();
    on(() -> hub.onOpened(channel));
  }

  @Test
  void theControllerGetsEveryByteAndObserversTheNoteInstead() throws IOException {
    replay(ZmodemWatcherTest.load("download"));

    assertArrayEquals(deviceSent.toByteArray(), alice.written.getBytes(), "byte-transparent");
    String seenByBob = bob.written.toString(StandardCharsets.UTF_8);
    assertTrue(seenByBob.contains(NOTE), seenByBob);
    assertFalse(seenByBob.contains("\u0018"), "no ZMODEM frame reaches an observer: " + seenByBob);
    assertTrue(seenByBob.endsWith("[ZMODEM: complete]\r\n\r\n$ "), seenByBob);
    String tapped = registry.tapped.toString(StandardCharsets.UTF_8);
    assertTrue(tapped.contains(NOTE) && !tapped.contains("\u0018"), "data flow watchers too");
  }

  @Test
  void theFileIsAuditedWithDirectionNameSizeAndOutcome() throws IOException {
    replay(ZmodemWatcherTest.load("download"));
    assertTrue(
        audits.lines.contains(
            "alice session.file-transfer device → user, small.bin, 3000 bytes, complete"),
        audits.lines.toString());
  }

  @Test
  void theRecordingKeepsTheBytesForRawAndTheNoteForText() throws IOException {
    replay(ZmodemWatcherTest.load("download"));
    on(() -> hub.end(CloseReasons.TARGET_CLOSED, "done"));

    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    List<String> notes = new ArrayList<>();
    for (JournalEntry.Chunk c : journal.all(JournalEntry.Chunk.class)) {
      for (RecordingFormat.Event e : RecordingFormat.decode(c.data())) {
        switch (e.kind()) {
          case OUTPUT, TRANSFER -> raw.writeBytes(e.data());
          case NOTE -> notes.add(e.text());
          case INPUT -> assertFalse(new String(e.data()).contains("\u0018"), "typing only");
          case GAP -> {}
        }
      }
    }
    assertArrayEquals(deviceSent.toByteArray(), raw.toByteArray(), "raw keeps every byte");
    assertEquals(List.of("ZMODEM: small.bin, 2.9 KiB, device → user", "ZMODEM: complete"), notes);
  }

  @Test
  void takingOverIsRefusedUntilTheTransferEnds() throws IOException {
    List<ZmodemWatcherTest.Write> writes = ZmodemWatcherTest.load("download");
    replay(writes.subList(0, 4));

    on(() -> bob.membership.control("take-over", new JsonObject()));
    assertEquals(
        new ControlMessage.Error(SessionHub.TRANSFER_RUNS), bob.last(ControlMessage.Error.class));
    assertEquals("alice", hub.controller().who.username());
    HubFakes.Sink link = new HubFakes.Sink(context);
    on(() -> hub.add(join("port-2001", true, "link", JoinRequest.Mode.TAKE_OVER), link));
    assertEquals(List.of("4409 busy"), link.closes, "a link that takes over as it joins");

    replay(writes.subList(4, writes.size()));
    on(() -> bob.membership.control("take-over", new JsonObject()));
    assertEquals("bob", hub.controller().who.username(), "once it ended");
  }

  @Test
  void aSessionThatEndsMidTransferAuditsItInterrupted() throws IOException {
    replay(ZmodemWatcherTest.load("download").subList(0, 6));
    on(() -> hub.end(CloseReasons.TARGET_CLOSED, "gone"));
    assertTrue(
        audits.lines.contains(
            "alice session.file-transfer device → user, small.bin, 3000 bytes, interrupted"),
        audits.lines.toString());
  }

  private void replay(List<ZmodemWatcherTest.Write> writes) {
    for (ZmodemWatcherTest.Write w : writes) {
      if (w.output()) {
        deviceSent.writeBytes(w.data());
        on(() -> hub.onData(Buffer.buffer(w.data()), () -> {}));
      } else {
        on(() -> alice.membership.input(Buffer.buffer(w.data())));
      }
    }
  }

  private HubFakes.Sink enter(JoinRequest who) {
    HubFakes.Sink sink = new HubFakes.Sink(context);
    on(() -> hub.add(who, sink));
    return sink;
  }

  private void on(Runnable action) {
    HubFakes.settle(context, action);
  }
}
