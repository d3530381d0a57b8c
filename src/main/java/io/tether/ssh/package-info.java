/**
 * The SSH front door: an SSH server (Apache MINA SSHD) on {@code TETHER_SSH_PORT} whose shell
 * channel joins a device target's session as the user's browser terminal would, users' public keys
 * and their REST endpoints, and the host key operators verify (docs/ssh.md).
 */
package io.tether.ssh;
