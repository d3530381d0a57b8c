package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A growing receive window: it grows while the round trip, not the consumer, limits the channel; it
 * never exceeds its maximum nor the shared allowance; a stalled consumer's window shrinks back.
 */
class WindowGrowthTest {
  private static final long BASE = 256 * 1024;
  private static final long MAX = 8L << 20;
  private static final long MS = 1_000_000L;

  private long now;

  /** A sender that sends all its credit at once and a consumer that takes it all at once. */
  private final class Link {
    final ReceiveWindow window;
    final long rtt;
    long credit;
    long moved;

    Link(ReceiveWindow window, long rttMillis) {
      this.window = window;
      this.rtt = rttMillis * MS;
      this.credit = window.window();
    }

    /** One round trip: the credit's worth arrives half a trip after the grant, is delivered. */
    void round() throws ProtocolException {
      now += rtt / 2;
      int n = (int) credit;
      window.onReceived(n);
      credit = 0;
      now += MS / 10;
      credit += window.onDelivered(n);
      credit += window.flush();
      moved += n;
      now += rtt / 2;
    }
  }

  /** A link of 100 ms after 20 round trips with a consumer that kept up: grown to its maximum. */
  private Link grownOnALongRoundTrip() throws ProtocolException {
    Link link = new Link(growing(WindowAllowance.of(1L << 30)), 100);
    for (int i = 0; i < 20; i++) {
      link.round();
    }
    return link;
  }

  private ReceiveWindow growing(WindowAllowance allowance) {
    return ReceiveWindow.growing(BASE, MAX, allowance, () -> now);
  }

  private static final int BULK = 1;
  private static final int KEYS = 2;
  private final InteractiveTraffic traffic = new InteractiveTraffic();
  private final SendActivity keys = new SendActivity();

  /** A window on channel BULK of a connection whose traffic is {@link #traffic}. */
  private ReceiveWindow sharing(WindowAllowance allowance) {
    return ReceiveWindow.growing(BASE, MAX, allowance, () -> now, traffic, BULK);
  }

  /** A keystroke (or its echo) on channel KEYS of the same connection. */
  private void keystroke() {
    keys.sent(1, now);
    traffic.data(KEYS, keys, now);
  }

  /** A 1 ms link on a connection with nothing interactive, after 200 round trips. */
  private Link grownOnAShortRoundTripAlone() throws ProtocolException {
    Link link = new Link(sharing(WindowAllowance.of(1L << 30)), 1);
    for (int i = 0; i < 200; i++) {
      link.round();
    }
    return link;
  }

  @Test
  void aWindowGrowsWhileTheConsumerKeepsUpOnALongRoundTrip() throws Exception {
    Link link = grownOnALongRoundTrip();
    assertEquals(MAX, link.window.window(), "the window reached its maximum");
    assertEquals(100 * MS, link.window.roundTripNanos(), 2 * MS, "the round trip it measured");
    assertTrue(link.moved > 20 * BASE * 10, "it moved far more than a base window per trip");
  }

  @Test
  void aWindowNeverGrowsOnAShortRoundTrip() throws Exception {
    Link link = new Link(growing(WindowAllowance.of(1L << 30)), 1);
    for (int i = 0; i < 200; i++) {
      link.round();
    }
    assertEquals(BASE, link.window.window());
  }

  @Test
  void aWindowGrowsOnAShortRoundTripWhileNothingInteractiveSharesItsConnection() throws Exception {
    Link link = grownOnAShortRoundTripAlone();
    assertEquals(MAX, link.window.window());
    assertEquals(1 * MS, link.window.roundTripNanos(), MS / 5, "the round trip it measured");
  }

  @Test
  void aWindowNeverGrowsOnAShortRoundTripBesideKeystrokes() throws Exception {
    Link link = new Link(sharing(WindowAllowance.of(1L << 30)), 1);
    for (int i = 0; i < 200; i++) {
      keystroke();
      link.round();
    }
    assertEquals(BASE, link.window.window());
  }

  @Test
  void aWindowGrownOnAShortRoundTripGoesBackToItsBaseAtTheFirstKeystrokeBesideIt()
      throws Exception {
    Link link = grownOnAShortRoundTripAlone();
    ReceiveWindow w = link.window;
    now += MS / 2;
    w.onReceived((int) link.credit); // the grown window's worth is already on its way
    keystroke();
    now += MS / 10;
    long grant = w.onDelivered(16 * 1024);
    assertEquals(BASE, w.window(), "back to its base beside the keystroke");
    assertEquals(0, grant, "no credit while more than the base window is outstanding");
    assertEquals(0, w.onDelivered(MAX - 16 * 1024 - BASE), "still none while it is");
    assertEquals(BASE / 2, w.onDelivered(BASE / 2), "then credit again, for the base window");
  }

  @Test
  void aWindowGrowsOnAShortRoundTripAgainOnceTheKeystrokesPaused() throws Exception {
    Link link = new Link(sharing(WindowAllowance.of(1L << 30)), 1);
    keystroke();
    now += InteractiveTraffic.HOLD_NANOS;
    for (int i = 0; i < 200; i++) {
      link.round();
    }
    assertEquals(MAX, link.window.window());
  }

  @Test
  void aWindowStillGrowsOnALongRoundTripBesideKeystrokes() throws Exception {
    Link link = new Link(sharing(WindowAllowance.of(1L << 30)), 100);
    for (int i = 0; i < 20; i++) {
      keystroke();
      link.round();
    }
    assertEquals(MAX, link.window.window(), "beside keystrokes a long link needs it all the more");
  }

  /**
   * Where credit is passed on end to end, the sender before this receiver may hold only a base
   * window (the portal releases a device's bytes once the CLI has granted for them): a grown window
   * that waited for half of itself would wait for bytes that never come, and each batch would wait
   * for the idle grant.
   */
  @Test
  void aGrownWindowGrantsOnceHalfItsBaseIsDeliveredSoASenderAtTheBaseNeverWaits() throws Exception {
    Link link = grownOnALongRoundTrip();
    ReceiveWindow w = link.window;
    assertEquals(MAX, w.window());
    now += 50 * MS;
    w.onReceived((int) (BASE / 2)); // all a relay holding the base window had in flight
    now += MS;
    assertEquals(BASE / 2, w.onDelivered(BASE / 2), "granted at once, not after an idle delay");
  }

  @Test
  void aWindowNeverExceedsItsShareOfTheAllowance() throws Exception {
    WindowAllowance node = WindowAllowance.of(BASE * 3);
    Link a = new Link(growing(node), 100);
    Link b = new Link(growing(node), 100);
    for (int i = 0; i < 20; i++) {
      a.round();
      b.round();
    }
    long grown = a.window.window() - BASE + b.window.window() - BASE;
    assertEquals(BASE * 3, grown, "together they grew by exactly the allowance");
    assertEquals(0, node.take(1), "nothing is left of it");
    a.window.release();
    assertEquals(BASE, a.window.window());
    assertEquals(1, node.take(1), "a released window gives its growth back");
  }

  @Test
  void aWindowGrowsToNoMoreThanFourTimesWhatTheConsumerTakesPerRoundTrip() throws Exception {
    long perTrip = 300 * 1024; // the consumer's pace, not the window, limits it
    long window = windowWithAConsumerTaking(perTrip);
    assertEquals(1024 * 1024, window, "grew while it took ≥ half a window, then stopped");
    assertTrue(window <= 4 * perTrip);
  }

  @Test
  void aConsumerSlowerThanHalfTheWindowPerRoundTripDoesNotGrowIt() throws Exception {
    assertEquals(BASE, windowWithAConsumerTaking(BASE / 3));
  }

  /** The window after 40 round trips of 100 ms with a consumer that takes at most perTrip each. */
  private long windowWithAConsumerTaking(long perTrip) throws ProtocolException {
    ReceiveWindow w = growing(WindowAllowance.of(1L << 30));
    long credit = w.window();
    for (int i = 0; i < 40; i++) {
      now += 100 * MS; // a round trip after the last grant, its credit's worth arrives
      w.onReceived((int) credit);
      credit = w.onDelivered(Math.min(perTrip, w.buffered())) + w.flush();
    }
    return w.window();
  }

  @Test
  void aStalledConsumersWindowShrinksBackAndWithholdsCreditUntilItFits() throws Exception {
    Link link = grownOnALongRoundTrip();
    ReceiveWindow w = link.window;
    assertEquals(MAX, w.window());
    now += 50 * MS;
    w.onReceived((int) link.credit); // a full grown window arrives; the consumer stops reading
    assertEquals(MAX, w.buffered(), "a stalled channel holds at most its current window");
    now += 2_000 * MS;
    long grant = w.onDelivered(16 * 1024);
    assertEquals(BASE, w.window(), "back to its base once the consumer stalled");
    assertEquals(0, grant, "no credit while more than the base window is outstanding");
    assertThrows(ProtocolException.class, () -> w.onReceived(1));
    assertEquals(0, w.onDelivered(MAX - 16 * 1024 - BASE), "still none while it is");
    assertEquals(BASE / 2, w.onDelivered(BASE / 2), "then credit again, for the base window");
  }

  @Test
  void aShrunkWindowStillGrantsEveryDeliveredByteOnceTheConsumerIsIdle() throws Exception {
    Link link = grownOnALongRoundTrip();
    ReceiveWindow w = link.window;
    now += 50 * MS;
    w.onReceived((int) link.credit);
    now += 2_000 * MS;
    assertEquals(BASE, w.onDelivered(MAX), "shrunk: the batch grant is one base window");
    // the sender may be a relay waiting for exactly this credit before it has anything to send
    assertEquals(MAX - BASE, w.flush(), "an idle consumer's flush grants every delivered byte");
    assertEquals(BASE, w.window());
  }
}
