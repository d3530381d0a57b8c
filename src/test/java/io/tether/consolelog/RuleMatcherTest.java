package io.tether.consolelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which matches of a console rule raise console.match. */
class RuleMatcherTest {
  private static final Instant T0 = Instant.parse("2026-12-08T03:00:00Z");
  private static final long DEVICE = 7;

  private final RuleMatcher matcher = new RuleMatcher(new CooldownBook());

  private static CompiledRule rule(long id, String pattern, Duration cooldown) {
    try {
      return new CompiledRule(id, "rule-" + id, "critical", RulePattern.compile(pattern), cooldown);
    } catch (RulePattern.Invalid e) {
      throw new AssertionError(e);
    }
  }

  private static LogLine at(int seconds, String text) {
    return new LogLine(T0.plusSeconds(seconds), text);
  }

  private List<RuleMatcher.Raise> match(String target, List<CompiledRule> rules, LogLine... lines) {
    return matcher.match(DEVICE, target, rules, List.of(lines));
  }

  @Test
  void aLineContainingThePatternRaisesWithThatLine() {
    CompiledRule panic = rule(1, "Kernel panic", Duration.ofMinutes(5));
    List<RuleMatcher.Raise> raises =
        match("console", List.of(panic), at(0, "booting"), at(1, "Kernel panic - not syncing"));
    assertEquals(1, raises.size(), "raises");
    assertEquals("Kernel panic - not syncing", raises.get(0).line().text());
    assertEquals(panic, raises.get(0).rule());
  }

  @Test
  void linesWithoutThePatternRaiseNothing() {
    CompiledRule panic = rule(1, "Kernel panic", Duration.ofMinutes(5));
    assertEquals(
        List.of(),
        match("console", List.of(panic), at(0, "kernel: all fine"), at(1, "Kernel: panic")));
  }

  @Test
  void aRuleStaysQuietOnTheSameTargetUntilItsCooldownPassedThenCountsWhatItKeptQuiet() {
    CompiledRule panic = rule(1, "panic", Duration.ofSeconds(60));
    assertEquals(1, match("console", List.of(panic), at(0, "panic 1"), at(10, "panic 2")).size());
    assertEquals(List.of(), match("console", List.of(panic), at(59, "panic 3")));
    List<RuleMatcher.Raise> after = match("console", List.of(panic), at(60, "panic 4"));
    assertEquals(1, after.size(), "a raise once the cool-down passed");
    assertEquals("panic 4", after.get(0).line().text());
    assertEquals(2, after.get(0).suppressed(), "matches kept quiet during the cool-down");
  }

  @Test
  void theCooldownIsPerDeviceTargetAndRule() {
    CompiledRule panic = rule(1, "panic", Duration.ofSeconds(60));
    CompiledRule oops = rule(2, "Oops|panic", Duration.ofSeconds(60));
    assertEquals(2, match("console", List.of(panic, oops), at(0, "panic")).size());
    assertEquals(2, match("aux", List.of(panic, oops), at(1, "panic")).size(), "another target");
    assertEquals(
        1,
        matcher.match(DEVICE + 1, "console", List.of(panic), List.of(at(2, "panic"))).size(),
        "another device");
  }

  @Test
  void aCooldownOfZeroRaisesEveryMatch() {
    CompiledRule panic = rule(1, "panic", Duration.ZERO);
    assertEquals(
        3, match("console", List.of(panic), at(0, "panic"), at(0, "panic"), at(1, "panic")).size());
  }

  @Test
  void aLineOlderThanTheLastRaiseIsWithinTheCooldown() {
    CompiledRule panic = rule(1, "panic", Duration.ofSeconds(60));
    assertEquals(1, match("console", List.of(panic), at(100, "panic")).size());
    assertEquals(List.of(), match("console", List.of(panic), at(0, "panic, read earlier")));
  }

  @Test
  void onlyTheFirst4096CharactersOfALineAreMatched() {
    CompiledRule panic = rule(1, "panic", Duration.ZERO);
    String padding = "x".repeat(RulePattern.MAX_LINE_CHARS - "panic".length());
    assertEquals(1, match("console", List.of(panic), at(0, padding + "panic")).size());
    assertEquals(List.of(), match("console", List.of(panic), at(1, padding + "xpanic")));
  }

  @Test
  void theCooldownBookForgetsTheLeastRecentlyUsedEntryBeyondItsBound() {
    CooldownBook book = new CooldownBook(2);
    Duration hour = Duration.ofHours(1);
    CooldownBook.Key a = new CooldownBook.Key(1, "console", 1);
    CooldownBook.Key b = new CooldownBook.Key(2, "console", 1);
    CooldownBook.Key c = new CooldownBook.Key(3, "console", 1);
    book.matched(a, T0, hour);
    book.matched(b, T0, hour);
    assertEquals(-1, book.matched(a, T0.plusSeconds(1), hour), "a cools down (and is now fresh)");
    book.matched(c, T0, hour);
    assertEquals(2, book.size(), "entries kept");
    assertEquals(0, book.matched(b, T0.plusSeconds(2), hour), "b was evicted: it raises again");
    assertEquals(-1, book.matched(c, T0.plusSeconds(3), hour), "c still cools down");
  }

  @Test
  void aCaseInsensitivePatternMatchesAnyCase() {
    CompiledRule oom = rule(1, "(?i)out of memory", Duration.ZERO);
    assertTrue(oom.pattern().foundIn("Out Of Memory: Killed process 42"));
    assertFalse(oom.pattern().foundIn("memory ok"));
  }
}
