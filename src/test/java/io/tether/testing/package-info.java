/**
 * The test harness: the packaged portal, agent and CLI as processes, PTYs, echo peers, a socat
 * device server in TCP-client mode, Chromium.
 */
package io.tether.testing;
