package io.tether.consolelog;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A rule's regular expression, compiled by RE2/J: it matches in time linear in the line (no
 * catastrophic backtracking), on at most {@link #MAX_LINE_CHARS} characters of it.
 */
public final class RulePattern {
  /** Longest pattern: enough for an alternation of a dozen messages, bounded for the table. */
  public static final int MAX_PATTERN_CHARS = 512;

  /**
   * Largest program a pattern may compile to ({@link PatternCost}): at this size matching a line of
   * {@link #MAX_LINE_CHARS} takes under 10 ms; the rules people write ("Kernel panic",
   * "(?i)oom-killer|segfault") are a few dozen instructions.
   */
  static final long MAX_PROGRAM_SIZE = 1000;

  /**
   * A rule sees the first this many characters of a line: matching is linear in the line, and a
   * device printing one endless line (a binary dump at the wrong baud rate) costs no more than
   * this.
   */
  public static final int MAX_LINE_CHARS = 4096;

  private final Pattern compiled;

  private RulePattern(Pattern compiled) {
    this.compiled = compiled;
  }

  /** Thrown for a pattern a rule cannot have; the message says why, for the API's problem. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  public static RulePattern compile(String pattern) throws Invalid {
    if (pattern.length() > MAX_PATTERN_CHARS) {
      throw new Invalid("pattern: at most " + MAX_PATTERN_CHARS + " characters");
    }
    if (PatternCost.of(pattern) > MAX_PROGRAM_SIZE) {
      throw new Invalid(
          "pattern: too large once its repetitions are expanded (at most about "
              + MAX_PROGRAM_SIZE
              + " steps): use smaller counts than {n}, or fewer nested ones");
    }
    try {
      return new RulePattern(Pattern.compile(pattern));
    } catch (PatternSyntaxException e) {
      throw new Invalid("pattern: " + e.getMessage());
    }
  }

  /** Whether the pattern occurs in the line's first {@link #MAX_LINE_CHARS} characters. */
  public boolean foundIn(String line) {
    CharSequence seen = line.length() > MAX_LINE_CHARS ? line.subSequence(0, MAX_LINE_CHARS) : line;
    return compiled.matcher(seen).find();
  }

  @Override
  public String toString() {
    return compiled.pattern();
  }
}
