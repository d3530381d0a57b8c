/** The device side of the portal: the tunnel endpoint, the tunnel registry, channels, presence. */
package io.tether.tunnel;
