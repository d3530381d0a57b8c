package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Periodic database chores run while the portal serves and are skipped once it starts to stop. */
class StoppingTest {
  @Test
  void choresRunUntilTheShutdownDelayBeginsAndAreSkippedFromThen() {
    Stopping stopping = new Stopping();
    assertFalse(stopping.test(null), "a serving portal runs its chores");
    stopping.onDelay(null);
    assertTrue(stopping.test(null), "a stopping portal skips them");
  }

  @Test
  void aShutdownWithoutTheDelayStopsThemToo() {
    Stopping stopping = new Stopping();
    stopping.onStop(null);
    assertTrue(stopping.stopping());
  }
}
