package io.tether.consolelog;

import java.time.Instant;

/**
 * One decoded line of a target's console log (escape sequences and the line end removed), with the
 * time its first byte was read.
 */
public record LogLine(Instant at, String text) {}
