/** Process start: settings from the environment, the data dir, node identity, the database. */
package io.tether.boot;
