/** The device agent: its own main and thin jar, no Quarkus. */
package io.tether.agent;
