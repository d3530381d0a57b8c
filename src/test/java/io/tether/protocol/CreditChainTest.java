package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A chain agent → portal → CLI never stalls, where the portal re-slices the device's DATA for the
 * CLI. Frame sizes that do not line up with half a window are where two batching receivers in a row
 * could each wait for the other (our agent sends 16 KiB slices, which the portal passes on whole,
 * but receivers must accept DATA up to 64 KiB, and an agent sending that much must not stall a
 * forward). The portal ({@code ForwardBridge}) releases a device buffer once the CLI's socket took
 * its last slice: credit per hop, where each hop alone cannot stall. A relay that released it only
 * once the CLI granted credit for all of it (credit end to end, as the portal did before) can, and
 * there the CLI flushing what it owes once it has written everything (as {@code StreamChannel} does
 * after a short idle delay) is what keeps the chain moving.
 */
class CreditChainTest {
  private static final int WINDOW = ProtocolLimits.DEFAULT_WINDOW;
  private static final long TOTAL = 64L << 20;

  @Test
  void oddSizedFramesThroughARelayWithCreditPerHopNeverStall() throws Exception {
    for (long seed = 1; seed <= 20; seed++) {
      for (boolean idleFlush : new boolean[] {true, false}) {
        assertEquals(
            TOTAL,
            deliveredThroughChain(new SplittableRandom(seed), idleFlush, false),
            "seed " + seed + ", idle flush " + idleFlush);
      }
    }
  }

  @Test
  void oddSizedFramesThroughARelayWithCreditEndToEndNeverStallWithTheIdleFlush() throws Exception {
    for (long seed = 1; seed <= 20; seed++) {
      assertEquals(
          TOTAL, deliveredThroughChain(new SplittableRandom(seed), true, true), "seed " + seed);
    }
  }

  @Test
  void withoutTheIdleFlushCreditEndToEndStalls() throws Exception {
    assertTrue(
        deliveredThroughChain(new SplittableRandom(1), false, true) < TOTAL,
        "half-window batching alone on both hops should stall on odd sizes");
  }

  /**
   * Bytes the CLI delivered before the chain finished or could make no more progress; {@code
   * endToEnd}: the relay releases a device buffer once the CLI granted credit for all of it, else
   * once it sent the buffer's last slice.
   */
  private static long deliveredThroughChain(
      SplittableRandom random, boolean idleFlush, boolean endToEnd) throws ProtocolException {
    SendCredit agent = new SendCredit(WINDOW);
    ReceiveWindow portalFromDevice = new ReceiveWindow(WINDOW);
    ArrayDeque<Integer> waiting = new ArrayDeque<>(); // device buffers not yet sliced to the CLI
    ArrayDeque<Integer> unconfirmed = new ArrayDeque<>(); // sliced, waiting for the CLI's credit
    int headOffset = 0;
    long confirmed = 0;
    SendCredit toCli = new SendCredit(WINDOW);
    ReceiveWindow cli = new ReceiveWindow(WINDOW);
    ArrayDeque<Integer> cliQueue = new ArrayDeque<>(); // slices the CLI has yet to write
    long sentByAgent = 0;
    long deliveredByCli = 0;

    while (deliveredByCli < TOTAL) {
      boolean progress = false;
      // the agent sends any DATA a receiver must accept (up to 64 KiB), within its credit
      if (sentByAgent < TOTAL) {
        int want =
            (int) Math.min(TOTAL - sentByAgent, random.nextInt(1, ProtocolLimits.MAX_PAYLOAD + 1));
        int n = agent.take(want);
        if (n > 0) {
          portalFromDevice.onReceived(n);
          waiting.addLast(n);
          sentByAgent += n;
          progress = true;
        }
      }
      // the portal slices held device bytes to the CLI within the CLI's credit
      while (!waiting.isEmpty() && toCli.available() > 0) {
        int head = waiting.peekFirst();
        int n = toCli.take(Math.min(head - headOffset, ProtocolLimits.DATA_SLICE));
        cli.onReceived(n);
        cliQueue.addLast(n);
        headOffset += n;
        if (headOffset == head) {
          int sent = waiting.removeFirst();
          headOffset = 0;
          if (endToEnd) {
            unconfirmed.addLast(sent);
          } else { // the socket took the buffer's last slice: delivered
            long toAgent = portalFromDevice.onDelivered(sent);
            if (toAgent > 0) {
              agent.grant(toAgent);
            }
          }
        }
        progress = true;
      }
      // the CLI writes some of its slices to its local socket, whole slices at a time
      int writes = random.nextInt(0, 4);
      for (int i = 0; i < writes && !cliQueue.isEmpty(); i++) {
        int n = cliQueue.removeFirst();
        deliveredByCli += n;
        progress = true;
        long grant = cli.onDelivered(n);
        if (grant == 0 && idleFlush && cliQueue.isEmpty()) {
          grant = cli.flush(); // the CLI has written everything it got: no more DATA came
        }
        if (grant > 0) {
          toCli.grant(grant);
          // the portal releases the device's credit for buffers the CLI has fully confirmed
          confirmed += grant;
          while (!unconfirmed.isEmpty() && confirmed >= unconfirmed.peekFirst()) {
            int released = unconfirmed.removeFirst();
            confirmed -= released;
            long toAgent = portalFromDevice.onDelivered(released);
            if (toAgent > 0) {
              agent.grant(toAgent);
            }
          }
        }
      }
      if (!progress && writes > 0) {
        return deliveredByCli; // nothing can move any more: stalled
      }
    }
    return deliveredByCli;
  }
}
