/**
 * Signed webhooks (Standard Webhooks): endpoints, the fan-out of the event outbox into deliveries,
 * the dispatcher that sends them with retries, and the address guard that keeps them off the
 * portal's own network (docs/webhooks.md).
 */
package io.tether.webhook;
