package io.tether.consolelog;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches lines against rules and decides which matches raise: the first of a rule on a (device,
 * target), then the first after each cool-down (measured in the lines' times). Pure: no database,
 * no clock, so the rules of matching are tested alone.
 */
final class RuleMatcher {
  /** A match that raises console.match; {@code suppressed}: matches kept quiet since the last. */
  record Raise(CompiledRule rule, LogLine line, long suppressed) {}

  private final CooldownBook cooldowns;

  RuleMatcher(CooldownBook cooldowns) {
    this.cooldowns = cooldowns;
  }

  /** The raises among {@code lines} (in their order) for {@code rules}. */
  List<Raise> match(long deviceId, String target, List<CompiledRule> rules, List<LogLine> lines) {
    List<Raise> raises = new ArrayList<>();
    for (LogLine line : lines) {
      for (CompiledRule rule : rules) {
        if (!rule.pattern().foundIn(line.text())) {
          continue;
        }
        long suppressed =
            cooldowns.matched(
                new CooldownBook.Key(deviceId, target, rule.id()), line.at(), rule.cooldown());
        if (suppressed >= 0) {
          raises.add(new Raise(rule, line, suppressed));
        }
      }
    }
    return raises;
  }
}
