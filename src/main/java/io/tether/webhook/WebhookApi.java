package io.tether.webhook;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of webhooks (docs/api.md "Webhooks"). */
public final class WebhookApi {
  private WebhookApi() {}

  public record NewWebhook(
      @Schema(example = "https://hooks.example.com/tether") String url,
      @Schema(
              example = "[\"device.*\", \"session.ended\"]",
              description = "types, prefixes (device.*, session.*, audit.*) or *")
          List<String> events,
      @Schema(description = "device and session events only of devices in these groups")
          List<String> groups,
      Boolean enabled) {}

  /** Fields left out stay as they are. */
  public record WebhookPatch(
      String url, List<String> events, List<String> groups, Boolean enabled) {}

  public record WebhookView(
      long id,
      String url,
      List<String> events,
      List<String> groups,
      boolean enabled,
      @Schema(description = "why the portal disabled it (a 410 answer), if it did")
          String disabledReason,
      Instant createdAt,
      @Schema(description = "until when the secret before the last rotation signs too")
          Instant previousSecretUntil) {}

  /** The answer to a creation: the secret, shown this once, with the endpoint. */
  public record Created(
      long id, String secret, @JsonUnwrapped @Schema(hidden = true) WebhookView webhook) {}

  public record Rotated(String secret, Instant previousSecretUntil) {}

  public record AttemptView(
      Instant at, Integer status, int durationMs, String error, String response) {}

  public record DeliveryView(
      long id,
      String type,
      String messageId,
      @Schema(description = "pending, delivered or failed") String state,
      Instant createdAt,
      Instant nextAttemptAt,
      List<AttemptView> attempts) {}
}
