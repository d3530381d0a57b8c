/** Link ports: TCP ports on the portal that legacy host software connects to, as participants. */
package io.tether.link;
