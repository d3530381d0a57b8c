package io.tether.enroll;

import io.tether.device.DeviceApi;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of enrollment tokens and of self-enrollment. */
public final class EnrollmentApi {
  /** One token may enroll a whole batch of devices, but not an unbounded fleet. */
  static final int MAX_USES = 10_000;

  private EnrollmentApi() {}

  public record NewToken(
      @Schema(example = "default", description = "the group enrolled devices join") @NotBlank
          String group,
      @Schema(
              example = "24h",
              description =
                  "how long the token may enroll devices: 30m, 12h, 7d (default 24h,"
                      + " at most 30d)")
          String expiresIn,
      @Schema(example = "1", description = "how many devices it may enroll (default 1)")
          @Min(value = 1, message = "must be at least 1")
          @Max(value = MAX_USES, message = "must be at most " + MAX_USES)
          Integer uses,
      @Size(max = DeviceApi.MAX_TAGS)
          List<
                  @NotBlank @Size(max = 64)
                  @Pattern(regexp = DeviceApi.TAG_PATTERN, message = DeviceApi.TAG_RULE) String>
              tags,
      @Schema(description = "true: enrolled devices are reachable at once, without an approval")
          Boolean autoApprove,
      @Schema(example = "hall 3 rollout") @Size(max = 256) String description) {}

  public record TokenView(
      long id,
      @Schema(description = "the token's public part, to tell tokens apart; never the secret")
          String prefix,
      String group,
      List<String> tags,
      boolean autoApprove,
      int uses,
      int used,
      String description,
      @Schema(enumeration = {"active", "expired", "used-up", "revoked"}) String state,
      String createdBy,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt) {
    static TokenView of(EnrollmentToken t, Instant now) {
      return new TokenView(
          t.id,
          "ten_" + t.lookupId,
          t.group.name,
          List.of(t.tags),
          t.autoApprove,
          t.usesAllowed,
          t.usesCount,
          t.description,
          t.state(now),
          t.createdBy,
          t.createdAt,
          t.expiresAt,
          t.revokedAt);
    }
  }

  /** The token as created: its secret value appears only here. */
  public record IssuedToken(
      long id, @Schema(description = "shown only in this answer") String token, TokenView view) {}

  /** What an agent sends to enroll its device. */
  public record Enrollment(
      @Schema(example = "plc-gateway-7")
          @NotBlank
          @Size(max = 64)
          @Pattern(regexp = DeviceApi.NAME_PATTERN, message = DeviceApi.NAME_RULE)
          String name,
      @Schema(example = "0.1.0") @Size(max = 64) String agentVersion) {}

  /** The enrolled device and its own token, which the agent keeps and uses from now on. */
  public record Enrolled(
      long deviceId,
      String name,
      String group,
      @Schema(enumeration = {"active", "pending"}) String state,
      @Schema(description = "the device token, given only in this answer") String token) {}
}
