package io.tether.consolelog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of the console rules endpoints. */
public final class ConsoleRuleApi {
  /** Rules a group may have: every line of every device of the group is matched against each. */
  public static final int MAX_RULES_PER_GROUP = 100;

  public static final String DEFAULT_SEVERITY = "warning";
  static final String SEVERITIES = "info|warning|critical";
  static final String SEVERITY_RULE = "must be info, warning or critical";

  /** Five minutes: a device that repeats an error in a loop raises a few times an hour. */
  public static final int DEFAULT_COOLDOWN_SECONDS = 300;

  public static final int MAX_COOLDOWN_SECONDS = 86_400;

  private ConsoleRuleApi() {}

  public record NewRule(
      @Schema(example = "kernel panic")
          @NotBlank
          @Size(max = 64)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "may not contain control characters")
          String name,
      @Schema(
              description =
                  "a regular expression in RE2 syntax, found anywhere in a line ((?i) ignores"
                      + " case)",
              example = "Kernel panic")
          @NotEmpty
          @Size(max = RulePattern.MAX_PATTERN_CHARS)
          String pattern,
      @Schema(
              enumeration = {"info", "warning", "critical"},
              defaultValue = DEFAULT_SEVERITY)
          @Pattern(regexp = SEVERITIES, message = SEVERITY_RULE)
          String severity,
      @Schema(
              description =
                  "after raising, the rule stays quiet this long on the same device target",
              minimum = "0",
              maximum = "86400",
              defaultValue = "300")
          @Min(0)
          @Max(MAX_COOLDOWN_SECONDS)
          Integer cooldownSeconds) {}

  public record RuleView(
      long id,
      String name,
      String pattern,
      String severity,
      int cooldownSeconds,
      Instant createdAt) {
    static RuleView of(ConsoleRule r) {
      return new RuleView(r.id, r.name, r.pattern, r.severity, r.cooldownSeconds, r.createdAt);
    }
  }
}
