/**
 * The test harness: the packaged portal, agent and CLI as processes, PTYs, echo peers, Chromium.
 */
package io.tether.testing;
