package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The receiving side of a channel direction: credit comes back only for delivered bytes. */
class ReceiveWindowTest {
  private static final int WINDOW = 1000;

  @Test
  void acceptsAWholeWindowWithoutAGrant() throws Exception {
    ReceiveWindow w = new ReceiveWindow(WINDOW);
    w.onReceived(600);
    w.onReceived(400);
    assertEquals(WINDOW, w.buffered());
  }

  @Test
  void rejectsDataBeyondCredit() throws Exception {
    ReceiveWindow w = new ReceiveWindow(WINDOW);
    w.onReceived(WINDOW);
    ProtocolException e = assertThrows(ProtocolException.class, () -> w.onReceived(1));
    assertEquals(TunnelCloseCode.CREDIT_EXCEEDED, e.closeCode());
  }

  @Test
  void rejectsDataBeyondCreditEvenWhenDeliveredButNotYetGranted() throws Exception {
    ReceiveWindow w = new ReceiveWindow(WINDOW);
    w.onReceived(WINDOW);
    assertEquals(0, w.onDelivered(WINDOW / 2 - 1), "below half a window: no grant yet");
    assertThrows(ProtocolException.class, () -> w.onReceived(1));
  }

  @Test
  void grantsOnlyOnceHalfAWindowIsDelivered() throws Exception {
    ReceiveWindow w = new ReceiveWindow(WINDOW);
    w.onReceived(WINDOW);
    assertEquals(0, w.onDelivered(200));
    assertEquals(0, w.onDelivered(299));
    assertEquals(800, w.buffered() + 299, "delivered-but-ungranted bytes are not held");
    assertEquals(500, w.onDelivered(1), "the grant is everything delivered since the last one");
    assertEquals(0, w.onDelivered(499));
    assertEquals(500, w.onDelivered(1));
    assertEquals(0, w.buffered());
  }

  @Test
  void flushGrantsEverythingOwedAndLetsThePeerSendThatMuchMore() throws Exception {
    ReceiveWindow w = new ReceiveWindow(WINDOW);
    w.onReceived(WINDOW);
    assertEquals(0, w.onDelivered(300), "under half a window owed: no grant yet");
    assertEquals(300, w.owed());
    assertEquals(300, w.flush(), "a flush grants what is owed");
    assertEquals(0, w.flush(), "and nothing twice");
    w.onReceived(300);
    assertThrows(ProtocolException.class, () -> w.onReceived(1));
  }

  @Test
  void grantsMoreThanHalfWhenDeliveredInOneLargeWrite() throws Exception {
    ReceiveWindow w = new ReceiveWindow(WINDOW);
    w.onReceived(WINDOW);
    assertEquals(WINDOW, w.onDelivered(WINDOW));
    assertDoesNotThrow(() -> w.onReceived(WINDOW));
  }

  @Test
  void grantedCreditLetsThePeerSendThatMuchMore() throws Exception {
    ReceiveWindow w = new ReceiveWindow(WINDOW);
    w.onReceived(WINDOW);
    long grant = w.onDelivered(600);
    assertEquals(600, grant);
    w.onReceived(600);
    assertThrows(ProtocolException.class, () -> w.onReceived(1));
  }

  @Test
  void buffersReceivedMinusDelivered() throws Exception {
    ReceiveWindow w = new ReceiveWindow(WINDOW);
    assertEquals(0, w.buffered());
    w.onReceived(300);
    assertEquals(300, w.buffered());
    w.onDelivered(100);
    assertEquals(200, w.buffered());
    w.onReceived(700);
    w.onDelivered(500);
    assertEquals(400, w.buffered());
  }

  @Test
  void aSenderThatRespectsCreditNeverOverrunsAndNeverHoldsMoreThanAWindow() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    ReceiveWindow receiver = new ReceiveWindow(ProtocolLimits.DEFAULT_WINDOW);
    SendCredit sender = new SendCredit(ProtocolLimits.DEFAULT_WINDOW);
    long sent = 0;
    long delivered = 0;
    for (int step = 0; step < 100_000; step++) {
      if (random.nextBoolean()) {
        int n = sender.take(random.nextInt(1, ProtocolLimits.DATA_SLICE + 1));
        if (n > 0) {
          receiver.onReceived(n);
          sent += n;
        }
      } else {
        long held = receiver.buffered();
        if (held > 0) {
          long n = Math.min(held, random.nextInt(1, 20_000));
          delivered += n;
          long grant = receiver.onDelivered(n);
          if (grant > 0) {
            sender.grant(grant);
          }
        }
      }
      long held = receiver.buffered();
      if (held > ProtocolLimits.DEFAULT_WINDOW || held != sent - delivered) {
        throw new AssertionError("step " + step + ": holds " + held);
      }
    }
    assertEquals(sent - delivered, receiver.buffered());
  }
}
