package io.tether.forward;

import io.tether.protocol.LineSettings;

/** A channel stand-in that takes a CLI's LINE itself (through a session, or to its device). */
interface LineChannel {
  void line(LineSettings settings);
}
