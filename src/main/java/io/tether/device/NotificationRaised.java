package io.tether.device;

/**
 * A notification was stored (alert package); after the commit the live stream tells those who may
 * see it ({@code groupId} null: admins only), so the header's unread count moves without a reload.
 */
public record NotificationRaised(long id, String type, Long groupId) {}
