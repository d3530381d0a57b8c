/** TCP port pools shared by link ports and raw ingress: ranges, probe binds, free-port search. */
package io.tether.net;
