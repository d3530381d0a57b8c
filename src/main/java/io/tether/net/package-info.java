/**
 * TCP plumbing shared by the portal's listeners: port pools for link ports and raw ingress (ranges,
 * probe binds, free-port search) and ending a connection whose peer stopped reading.
 */
package io.tether.net;
