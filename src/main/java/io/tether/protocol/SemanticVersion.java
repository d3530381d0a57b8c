package io.tether.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent version as HELLO reports it, ordered by Semantic Versioning 2.0 precedence: {@code
 * 0.1.0-SNAPSHOT} < {@code 0.1.0} < {@code 0.2.0}; build metadata ({@code +…}) is ignored. Anything
 * else does not parse: a version that cannot be compared is never called older.
 */
public record SemanticVersion(int major, int minor, int patch, List<String> preRelease)
    implements Comparable<SemanticVersion> {

  private static final Pattern SYNTAX =
      Pattern.compile(
          "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
              + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
              + "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

  public SemanticVersion {
    preRelease = List.copyOf(preRelease);
  }

  /** The version, or empty when {@code text} is not MAJOR.MINOR.PATCH[-PRE][+BUILD]. */
  public static Optional<SemanticVersion> parse(String text) {
    if (text == null || text.length() > ProtocolLimits.MAX_AGENT_VERSION) {
      return Optional.empty();
    }
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    List<String> pre = new ArrayList<>();
    if (m.group(4) != null) {
      for (String id : m.group(4).split("\\.")) {
        if (id.length() > 1 && id.startsWith("0") && id.chars().allMatch(Character::isDigit)) {
          return Optional.empty(); // numeric identifiers have no leading zeros
        }
        pre.add(id);
      }
    }
    return Optional.of(
        new SemanticVersion(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            pre));
  }

  /** True only when both parse and {@code version} precedes {@code than}. */
  public static boolean older(String version, String than) {
    Optional<SemanticVersion> a = parse(version);
    Optional<SemanticVersion> b = parse(than);
    return a.isPresent() && b.isPresent() && a.get().compareTo(b.get()) < 0;
  }

  @Override
  public int compareTo(SemanticVersion o) {
    int c = Integer.compare(major, o.major);
    c = c != 0 ? c : Integer.compare(minor, o.minor);
    c = c != 0 ? c : Integer.compare(patch, o.patch);
    if (c != 0) {
      return c;
    }
    if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
      // a release follows its pre-releases
      return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
    }
    for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
      c = identifier(preRelease.get(i), o.preRelease.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(preRelease.size(), o.preRelease.size());
  }

  /** Numeric identifiers compare as numbers and precede alphanumeric ones. */
  private static int identifier(String a, String b) {
    boolean numA = a.chars().allMatch(Character::isDigit);
    boolean numB = b.chars().allMatch(Character::isDigit);
    if (numA && numB) {
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    if (numA != numB) {
      return numA ? -1 : 1;
    }
    return a.compareTo(b);
  }
}
