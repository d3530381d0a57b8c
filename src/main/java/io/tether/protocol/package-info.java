/** Tether wire protocol v1: frames, codec, messages, limits, flow control. Pure Java. */
package io.tether.protocol;
