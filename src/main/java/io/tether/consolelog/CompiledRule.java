package io.tether.consolelog;

import java.time.Duration;

/** A group's rule, ready to match: its pattern compiled, its cool-down a duration. */
record CompiledRule(
    long id, String name, String severity, RulePattern pattern, Duration cooldown) {}
