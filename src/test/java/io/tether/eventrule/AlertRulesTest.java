package io.tether.eventrule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules: the grace a drop waits, the flapping window, burst counting, missing reports. */
class AlertRulesTest {
  private static final Instant T0 = Instant.parse("2026-12-09T10:00:00Z");

  @Test
  void aGroupsOwnGraceWinsAndNullMeansTheDeploymentsAndZeroIsAtOnce() {
    OfflineGrace grace = new OfflineGrace(Duration.ofSeconds(60), new FlappingRule(5));
    assertEquals(Duration.ofSeconds(60), grace.forGroup(null));
    assertEquals(Duration.ofSeconds(3), grace.forGroup(3));
    assertTrue(OfflineGrace.immediate(grace.forGroup(0)));
    assertFalse(OfflineGrace.immediate(grace.forGroup(null)));
  }

  @Test
  void flappingIsRaisedOnceWhenDropsExceedTheThresholdAndAgainOnlyAfterItSettled() {
    FlappingRule rule = new FlappingRule(5);
    boolean flapping = false;
    int raised = 0;
    for (int drops = 1; drops <= 9; drops++) { // nine drops within the hour
      FlappingRule.Decision d = rule.afterDrop(drops, flapping);
      raised += d.raise() ? 1 : 0;
      flapping = d.flapping();
      assertEquals(drops > 5, flapping, "flapping after drop " + drops);
    }
    assertEquals(1, raised, "one device.flapping however many more drops");
    FlappingRule.Decision settled = rule.afterDrop(1, true); // an hour later: one drop in window
    assertFalse(settled.raise());
    assertFalse(settled.flapping(), "settled");
    assertTrue(rule.afterDrop(6, false).raise(), "and flapping again raises again");
  }

  @Test
  void aBurstStartsAtTwentyFailuresWithinTheWindowOnceUntilFiveQuietMinutesEndIt() {
    BurstRule rule = BurstRule.LOGIN;
    assertFalse(rule.starts(19, null, T0), "19 is no burst");
    assertTrue(rule.starts(20, null, T0), "the 20th failure starts one");
    Instant last = T0;
    assertFalse(rule.starts(21, last, T0.plusSeconds(10)), "the 21st is the same burst");
    assertTrue(rule.open(last, T0.plusSeconds(299)));
    assertFalse(rule.open(last, T0.plusSeconds(300)), "five minutes without a failure end it");
    assertTrue(rule.starts(20, last, T0.plusSeconds(600)), "a later burst is news again");
  }

  @Test
  void aBatchIsReportedOncePerGroupListingItsDevicesWithTheirCount() {
    List<MissingReport.Missing> missing =
        List.of(
            new MissingReport.Missing(2, 10, "b-1", T0.plusSeconds(1)),
            new MissingReport.Missing(1, 11, "a-1", T0),
            new MissingReport.Missing(2, 12, "b-2", T0));
    Map<Long, Map<String, Object>> events = MissingReport.byGroup("n1", "restart", 60, missing);
    assertEquals(List.of(1L, 2L), List.copyOf(events.keySet()), "one event per group");
    Map<String, Object> b = events.get(2L);
    assertEquals(2, b.get("count"));
    assertEquals(T0.toString(), b.get("since"), "since the first of them dropped");
    assertEquals(
        List.of(Map.of("id", 10L, "name", "b-1"), Map.of("id", 12L, "name", "b-2")),
        b.get("devices"));
  }

  @Test
  void aHugeBatchListsAThousandDevicesAndCountsThemAll() {
    List<MissingReport.Missing> missing =
        java.util.stream.LongStream.range(0, 1500)
            .mapToObj(i -> new MissingReport.Missing(1, i, "d" + i, T0))
            .toList();
    Map<String, Object> event = MissingReport.byGroup("n1", "node-down", 60, missing).get(1L);
    assertEquals(1500, event.get("count"));
    assertEquals(MissingReport.LISTED_MAX, ((List<?>) event.get("devices")).size());
  }
}
