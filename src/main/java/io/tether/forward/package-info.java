/** The user-side port-forwarding endpoint that tether-cli connects to. */
package io.tether.forward;
