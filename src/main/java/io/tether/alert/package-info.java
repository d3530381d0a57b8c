/**
 * E-mail alerts (docs/alerts.md): users' confirmed addresses, their subscriptions per group, the
 * alerts taken from the event outbox for them, and the one mailer of a cluster that turns them into
 * a mail each, or a digest when several arrive within the window. Rights are checked again when
 * each mail is built, so a mail never names a device its reader can no longer see.
 */
package io.tether.alert;
