package io.tether.consolelog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a console rule's pattern may be, and that matching it is bounded. */
class RulePatternTest {
  /**
   * Far above what RE2/J takes (milliseconds); java.util.regex would take longer than a lifetime.
   */
  private static final Duration GENEROUS = Duration.ofSeconds(5);

  @Test
  void aNestedQuantifierOnAFailingLongLineFinishesAtOnceWhereJavaUtilRegexWouldBacktrackForever() {
    // java.util.regex tries every way to split the a's among the groups: 2^n steps for n a's
    String line = "a".repeat(RulePattern.MAX_LINE_CHARS - 1) + "!";
    assertTimeoutPreemptively(
        GENEROUS,
        () -> {
          for (String pattern : new String[] {"(a+)+$", "(a|aa)+$", "(a*)*b", "(.*a){20}$"}) {
            RulePattern compiled = RulePattern.compile(pattern);
            for (int i = 0; i < 10; i++) {
              assertFalse(compiled.foundIn(line), pattern);
            }
          }
        });
  }

  @Test
  void anEndlessLineCostsNoMoreThanItsFirst4096Characters() {
    String line = "a".repeat(10_000_000) + "!";
    assertTimeoutPreemptively(
        GENEROUS,
        () -> assertFalse(RulePattern.compile("(a+)+!").foundIn(line), "the ! is past the bound"));
  }

  @Test
  void aPatternThatDoesNotCompileIsRefusedWithTheSyntaxError() {
    RulePattern.Invalid e =
        assertThrows(RulePattern.Invalid.class, () -> RulePattern.compile("Kernel (panic"));
    assertTrue(e.getMessage().startsWith("pattern: "), e.getMessage());
    assertTrue(e.getMessage().contains("missing closing )"), e.getMessage());
  }

  @Test
  void javaOnlySyntaxSuchAsBackreferencesIsRefused() {
    assertThrows(RulePattern.Invalid.class, () -> RulePattern.compile("(a)\\1"));
    assertThrows(RulePattern.Invalid.class, () -> RulePattern.compile("a(?=b)"));
  }

  @Test
  void aPatternWhoseRepetitionsExpandBeyondTheBoundIsRefusedBeforeRe2jCompilesIt() {
    // RE2/J expands counted repetition: this one exhausts the heap while compiling
    assertTimeoutPreemptively(
        GENEROUS,
        () -> {
          for (String pattern :
              new String[] {"((a{1000}){1000}){1000}", "(a{1000}){1000}", "(?:x|y){500}z"}) {
            RulePattern.Invalid e =
                assertThrows(RulePattern.Invalid.class, () -> RulePattern.compile(pattern));
            assertTrue(e.getMessage().contains("too large"), e.getMessage());
          }
        });
  }

  @Test
  void aPatternLongerThan512CharactersIsRefused() {
    assertThrows(
        RulePattern.Invalid.class,
        () -> RulePattern.compile("x".repeat(RulePattern.MAX_PATTERN_CHARS + 1)));
  }

  @Test
  void thePatternsPeopleWriteAreAccepted() throws RulePattern.Invalid {
    for (String pattern :
        new String[] {
          "Kernel panic",
          "(?i)oom-killer|segfault|Call Trace:",
          "^\\[\\s*\\d+\\.\\d+\\] (BUG|WARNING):",
          "temperature [89]\\d C",
          "link (up|down) on eth[0-9]{1,2}",
          "[[:upper:]]{3}-\\d{4}",
          "\\QI/O error\\E",
          "\\p{Greek}+",
          "a{2}b{3,}c{4,9}",
          "retries? exceeded \\(\\d+/\\d+\\)"
        }) {
      assertTrue(RulePattern.compile(pattern) != null, pattern);
    }
    assertTrue(RulePattern.compile("(?i)oom-killer|segfault").foundIn("kernel: OOM-KILLER fired"));
  }

  @Test
  void theCostEstimateIsNeverBelowTheExpansionOfCountedRepetition() {
    assertTrue(PatternCost.of("(a{1000}){1000}") >= 1_000_000);
    assertTrue(PatternCost.of("(?:a|b){200}c") >= 600);
    assertTrue(PatternCost.of("Kernel panic") < 50);
  }
}
