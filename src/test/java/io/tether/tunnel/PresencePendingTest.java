package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per device only the latest pending presence state is written, and whether writing it is news
 * survives a refresh landing on it: a device that came online and was refreshed before the writer
 * got to it is still announced online once.
 */
class PresencePendingTest {
  private static PresenceWriter.Pending pending(long generation, boolean online, boolean announce) {
    return new PresenceWriter.Pending(
        new PresenceWriter.State(
            7, 1, generation, online, "127.0.0.1", "1.0.0", "inst", List.of(), Instant.EPOCH),
        announce);
  }

  @Test
  void aRefreshLandingOnAPendingChangeOfTheSameTunnelKeepsItNews() {
    PresenceWriter.Pending merged = pending(5, true, true).merge(pending(5, true, false));
    assertTrue(merged.announce());
    assertEquals(5, merged.state().generation());
  }

  @Test
  void aChangeLandingOnAPendingRefreshIsNews() {
    assertTrue(pending(5, true, false).merge(pending(5, false, true)).announce());
  }

  @Test
  void aRefreshAloneIsNotNews() {
    assertFalse(pending(5, true, false).merge(pending(5, true, false)).announce());
  }

  @Test
  void aLateStateOfAnOlderTunnelNeverReplacesANewerOne() {
    PresenceWriter.Pending merged = pending(6, true, true).merge(pending(5, false, true));
    assertEquals(6, merged.state().generation());
    assertTrue(merged.state().online());
  }
}
