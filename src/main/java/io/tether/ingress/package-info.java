/**
 * Raw TCP ingress: unmodified device servers in TCP-client mode dial their device's port on the
 * portal, and that connection serves as the device's tunnel with the single target {@code serial}.
 */
package io.tether.ingress;
