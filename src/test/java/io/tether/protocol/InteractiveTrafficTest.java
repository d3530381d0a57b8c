package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A connection carries interactive traffic while a channel moving little carried DATA lately; it
 * holds back the windows of the other channels only, and is forgotten after a pause.
 */
class InteractiveTrafficTest {
  private static final int BULK = 1;
  private static final int KEYS = 2;
  private static final int OTHER_KEYS = 3;
  private static final long MS = 1_000_000L;

  private final InteractiveTraffic traffic = new InteractiveTraffic();
  private long now = 1_000 * MS;

  private void data(int channel, SendActivity activity, int bytes) {
    activity.sent(bytes, now);
    traffic.data(channel, activity, now);
  }

  @Test
  void aKeystrokeHoldsBackTheOtherChannelsButNotItsOwn() {
    data(KEYS, new SendActivity(), 1);
    assertTrue(traffic.besides(BULK, now));
    assertFalse(traffic.besides(KEYS, now), "a channel is never held back by itself");
  }

  @Test
  void aChannelMovingASliceAtATimeIsNotInteractive() {
    data(BULK, new SendActivity(), ProtocolLimits.DATA_SLICE);
    assertFalse(traffic.besides(KEYS, now));
  }

  @Test
  void aTerminalThatStartsABulkTransferStopsBeingInteractive() {
    SendActivity terminal = new SendActivity();
    data(KEYS, terminal, 1);
    now += 2 * InteractiveTraffic.HOLD_NANOS;
    for (int i = 0; i < 4; i++) {
      now += MS;
      data(KEYS, terminal, ProtocolLimits.DATA_SLICE);
    }
    assertFalse(traffic.besides(BULK, now));
  }

  @Test
  void interactiveTrafficIsForgottenAfterItsHold() {
    data(KEYS, new SendActivity(), 1);
    now += InteractiveTraffic.HOLD_NANOS - MS;
    assertTrue(traffic.besides(BULK, now), "a typist's pause");
    now += 2 * MS;
    assertFalse(traffic.besides(BULK, now));
  }

  @Test
  void twoInteractiveChannelsEachHoldBackTheOtherAndTheBulkChannel() {
    SendActivity keys = new SendActivity();
    SendActivity otherKeys = new SendActivity();
    for (int i = 0; i < 10; i++) {
      now += 10 * MS;
      data(KEYS, keys, 1);
      now += 10 * MS;
      data(OTHER_KEYS, otherKeys, 3);
    }
    assertTrue(traffic.besides(BULK, now));
    assertTrue(traffic.besides(KEYS, now), "the other one typed too");
    assertTrue(traffic.besides(OTHER_KEYS, now));
  }
}
