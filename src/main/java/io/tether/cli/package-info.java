/** The user-side command line (port forwarding): its own main and thin jar, no Quarkus. */
package io.tether.cli;
