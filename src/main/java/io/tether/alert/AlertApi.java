package io.tether.alert;

import java.time.Instant;
import java.util.List;

/** Request and answer bodies of the e-mail alert endpoints (docs/api.md). */
public final class AlertApi {
  private AlertApi() {}

  /** A user's address: empty address when none; {@code mailAvailable}: the portal can send. */
  public record EmailView(String address, boolean confirmed, boolean mailAvailable) {}

  public record EmailChange(String address) {}

  public record Confirmation(String token) {}

  /** A subscription: events on one group ({@code groupId}), or on all the user's (null). */
  public record Subscription(Long groupId, List<String> events) {}

  public record SubscriptionView(Long groupId, String groupName, List<String> events) {}

  public record Subscriptions(List<Subscription> items) {}

  public record SubscriptionsView(List<SubscriptionView> items, List<String> events) {}

  /** The portal's mail as the admin page shows it. */
  public record MailView(
      boolean configured,
      String server,
      Instant lastSentAt,
      String lastError,
      Instant lastErrorAt) {}

  public record TestMail(String to) {}

  public record TestSent(String sentTo) {}
}
