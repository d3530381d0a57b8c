/** The embedded PostgreSQL default and the external-database reachability check. */
package io.tether.db;
