package io.tether.webhook;

/**
 * The portal disabled an endpoint (a {@code 410} answer, or failing for {@link
 * Deliveries#FAILING_LIMIT}); fired after the change commits, so admins can be told.
 */
public record WebhookDisabled(long webhookId, String url, String reason) {}
