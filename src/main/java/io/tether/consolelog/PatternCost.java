package io.tether.consolelog;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper estimate of the size of the program RE2/J compiles a pattern to. RE2/J matches in time
 * linear in the line, but also in that size, and it expands counted repetition: {@code
 * (a{1000}){1000}} is a million instructions (100 ms a line) and one more level exhausts the heap
 * while compiling. So a rule's pattern is refused above {@link RulePattern#MAX_PROGRAM_SIZE} before
 * RE2/J sees it. The estimate only has to be high, never low: every atom counts as one instruction,
 * a group adds its two capture marks, {@code x{n,m}} counts x {@code max(n, m)} times.
 */
final class PatternCost {
  private PatternCost() {}

  /** One open group: what its finished alternatives and its current sequence weigh. */
  private static final class Frame {
    long alternatives;
    long sequence;
    long last;

    /** A new atom follows: the previous one can no longer be repeated. */
    void atom(long size) {
      sequence = saturate(sequence + last);
      last = size;
    }

    long total() {
      return saturate(alternatives + sequence + last);
    }
  }

  static long of(String pattern) {
    Deque<Frame> open = new ArrayDeque<>();
    Frame frame = new Frame();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i);
      switch (c) {
        case '\\' -> {
          i = skipEscape(pattern, i);
          frame.atom(1);
          continue;
        }
        case '[' -> {
          i = skipClass(pattern, i);
          frame.atom(1);
          continue;
        }
        case '(' -> {
          open.push(frame);
          frame = new Frame();
          i++;
          if (i < n && pattern.charAt(i) == '?') {
            // flags or a name: (?i) (?i:...) (?P<name>...) (?:...)
            while (i < n && pattern.charAt(i) != ':' && pattern.charAt(i) != ')') {
              i++;
            }
            if (i < n && pattern.charAt(i) == ':') {
              i++;
            }
          }
          continue;
        }
        case ')' -> {
          long group = saturate(frame.total() + 2);
          frame = open.isEmpty() ? new Frame() : open.pop();
          frame.atom(group);
        }
        case '|' -> {
          frame.alternatives = saturate(frame.alternatives + frame.sequence + frame.last + 1);
          frame.sequence = 0;
          frame.last = 0;
        }
        case '*', '+', '?' -> {
          frame.last = saturate(frame.last * 2 + 1);
          if (i + 1 < n && pattern.charAt(i + 1) == '?') {
            i++; // non-greedy: the same size
          }
        }
        case '{' -> {
          int close = pattern.indexOf('}', i);
          long times = close < 0 ? -1 : repeatCount(pattern.substring(i + 1, close));
          if (times < 0) {
            frame.atom(1); // a literal brace
          } else {
            frame.last = saturate(frame.last * times + times);
            i = close;
          }
        }
        default -> frame.atom(1);
      }
      i++;
    }
    while (!open.isEmpty()) {
      long group = frame.total();
      frame = open.pop();
      frame.atom(group);
    }
    return frame.total();
  }

  /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 when it is no repetition. */
  private static long repeatCount(String inside) {
    if (!inside.matches("\\d{1,9}(,\\d{0,9})?")) {
      return -1;
    }
    String[] parts = inside.split(",", -1);
    long min = Long.parseLong(parts[0]);
    long max = parts.length > 1 && !parts[1].isEmpty() ? Long.parseLong(parts[1]) : min + 1;
    return Math.max(1, Math.max(min, max));
  }

  /** The index after an escape: {@code \Q...\E} and {@code \p{Greek}} are one atom each. */
  private static int skipEscape(String p, int i) {
    if (i + 1 >= p.length()) {
      return p.length();
    }
    char e = p.charAt(i + 1);
    if (e == 'Q') {
      int end = p.indexOf("\\E", i + 2);
      return end < 0 ? p.length() : end + 2;
    }
    if ((e == 'p' || e == 'P' || e == 'x') && i + 2 < p.length() && p.charAt(i + 2) == '{') {
      int end = p.indexOf('}', i + 2);
      return end < 0 ? p.length() : end + 1;
    }
    return i + 2;
  }

  /** The index after a character class, which compiles to one instruction. */
  private static int skipClass(String p, int i) {
    int j = i + 1;
    if (j < p.length() && p.charAt(j) == '^') {
      j++;
    }
    if (j < p.length() && p.charAt(j) == ']') {
      j++; // a leading ] is a literal
    }
    while (j < p.length()) {
      char c = p.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '[' && j + 1 < p.length() && p.charAt(j + 1) == ':') {
        int end = p.indexOf(":]", j + 2);
        j = end < 0 ? j + 1 : end + 2;
      } else if (c == ']') {
        return j + 1;
      } else {
        j++;
      }
    }
    return p.length();
  }

  private static long saturate(long value) {
    return value < 0 || value > Integer.MAX_VALUE ? Integer.MAX_VALUE : value;
  }
}
