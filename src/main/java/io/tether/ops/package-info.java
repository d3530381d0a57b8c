/** Server commands run as the portal jar's first argument: version, check-config, backups. */
package io.tether.ops;
