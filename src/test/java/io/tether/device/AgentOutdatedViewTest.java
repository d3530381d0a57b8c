package io.tether.device;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentOutdatedViewTest {
  private static Device agentAt(String version) {
    Device d = new Device();
    d.id = 1L;
    d.name = "plc-7";
    d.group = new DeviceGroup();
    d.group.name = "default";
    d.agentVersion = version;
    return d;
  }

  private static boolean outdated(String agent, Optional<String> min) {
    return DeviceApi.DeviceView.of(agentAt(agent), true, min, false).agentOutdated();
  }

  @Test
  void anAgentBelowTheMinimumIsOutdated() {
    assertTrue(outdated("0.1.0", Optional.of("0.2.0")));
    assertTrue(outdated("0.2.0-SNAPSHOT", Optional.of("0.2.0")));
  }

  @Test
  void anAgentAtOrAboveTheMinimumIsNot() {
    assertFalse(outdated("0.2.0", Optional.of("0.2.0")));
    assertFalse(outdated("1.0.0", Optional.of("0.2.0")));
  }

  @Test
  void withoutAMinimumOrAComparableVersionNothingIsOutdated() {
    assertFalse(outdated("0.1.0", Optional.empty()));
    assertFalse(outdated(null, Optional.of("0.2.0")));
    assertFalse(outdated("raw-tcp", Optional.of("0.2.0")));
  }
}
