package io.tether.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tether.access.Principal;
import io.tether.protocol.Reason;
import io.tether.session.ForwardSessions;
import io.tether.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One forward session per socket and TCP target: it ends when the target had no channel for the
 * idle time (a later channel starts another) or when the socket closes.
 */
class ForwardUsesTest {
  private static final Duration IDLE = Duration.ofMillis(300);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<ForwardSessions.Use> started = new CopyOnWriteArrayList<>();

  /** Session rows without a database: only what the forward side does with them. */
  private final ForwardSessions sessions =
      new ForwardSessions() {
        @Override
        public Use start(long deviceId, String target, Principal user) {
          Use use = new Use(deviceId, target);
          started.add(use);
          return use;
        }
      };

  private final ForwardUses uses = new ForwardUses(7, null, context, sessions, IDLE);

  /** Channels that record why they were stopped. */
  private static final class Stopped implements ForwardUses.Channel {
    final List<Reason> reasons = new CopyOnWriteArrayList<>();

    @Override
    public void stop(Reason reason) {
      reasons.add(reason);
    }
  }

  private final Stopped echo = new Stopped();
  private final Stopped web = new Stopped();

  @AfterEach
  void close() {
    vertx.close();
  }

  private void on(Consumer<ForwardUses> action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          action.accept(uses);
          done.complete(null);
        });
    done.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aTargetWithoutChannelsForTheIdleTimeEndsItsSessionAndTheNextChannelStartsAnother()
      throws Exception {
    on(u -> u.target("echo").channelOpened(echo));
    on(u -> u.target("echo").channelEnded(echo));
    on(u -> u.target("echo").channelOpened(echo)); // within the idle time: the same session
    on(u -> u.target("echo").channelEnded(echo));
    assertEquals(1, started.size(), "one session while channels come within the idle time");
    Await.until(
        "the session to end idle",
        Duration.ofSeconds(5),
        () -> "idle".equals(started.get(0).endReason()));
    assertEquals(2, started.get(0).channels());

    on(u -> u.target("echo").channelOpened(echo));
    assertEquals(2, started.size(), "a channel after the idle end starts a new session");
    assertNull(started.get(1).endReason());
  }

  @Test
  void aChannelStillOpenKeepsTheSessionAndClosingTheSocketEndsEveryTarget() throws Exception {
    on(u -> u.target("echo").channelOpened(echo));
    on(u -> u.target("web").channelOpened(web));
    Thread.sleep(IDLE.toMillis() * 3); // a stretch of time, not waiting for an event
    assertNull(started.get(0).endReason(), "an open channel is not idle");
    on(ForwardUses::closed);
    assertEquals("closed-by-user", started.get(0).endReason());
    assertEquals("closed-by-user", started.get(1).endReason());
  }

  @Test
  void anAdminEndingTheSessionClosesItsChannelsWithTheReasonAndTheNextChannelStartsAnother()
      throws Exception {
    Stopped second = new Stopped();
    on(u -> u.target("echo").channelOpened(echo));
    on(u -> u.target("echo").channelOpened(second));
    on(u -> u.target("web").channelOpened(web));
    started.get(0).endFromOutside("ended-by-admin", "ended by admin root");
    Await.until(
        "the channels to be stopped", Duration.ofSeconds(5), () -> !second.reasons.isEmpty());
    assertEquals("ended-by-admin", started.get(0).endReason());
    assertEquals(
        "peer-closed: ended-by-admin: ended by admin root", echo.reasons.get(0).toString());
    assertEquals(1, second.reasons.size(), "each channel of the session is stopped once");
    assertEquals(List.of(), web.reasons, "another target's session goes on");
    assertNull(started.get(1).endReason());

    on(u -> u.target("echo").channelEnded(echo)); // the stopped channels report their end
    on(u -> u.target("echo").channelEnded(second));
    on(u -> u.target("echo").channelOpened(new Stopped()));
    assertEquals(3, started.size(), "a channel after the admin's end starts a new session");
  }

  @Test
  void revokedAccessEndsEveryTargetsSessionAsAccessRevoked() throws Exception {
    on(u -> u.target("echo").channelOpened(echo));
    on(u -> u.endAll("access-revoked"));
    on(u -> u.target("echo").channelEnded(echo)); // the revoked channel reports its end
    assertEquals("access-revoked", started.get(0).endReason());
    on(u -> u.target("echo").channelOpened(new Stopped()));
    assertEquals(2, started.size(), "a channel after access came back starts a new session");
  }
}
