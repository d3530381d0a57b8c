/**
 * Telnet with the COM port control option (RFC 2217) for {@code tether-cli forward --rfc2217}: a
 * pure decoder and server state machine, and the stream that joins them to a forwarded channel.
 */
package io.tether.cli.rfc2217;
