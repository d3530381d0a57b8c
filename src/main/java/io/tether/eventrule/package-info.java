/**
 * When presence and sign-in failures become events, decided in PostgreSQL so every node agrees: the
 * offline grace (pending offlines and the one dispatcher that reports them), node restarts and
 * losses as batches, flapping devices and sign-in failure bursts. Raises through {@code db.Outbox}.
 */
package io.tether.eventrule;
