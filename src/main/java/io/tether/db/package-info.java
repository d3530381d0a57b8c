/**
 * The embedded PostgreSQL default, the external-database reachability check, and the batch writer
 * through which the data plane's database writes (audit, session journal) leave the event loops.
 */
package io.tether.db;
