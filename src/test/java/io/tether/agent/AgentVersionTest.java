package io.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AgentVersionTest {
  @Test
  void withoutAManifestVersionTheFallbackIsReported() {
    // the test class path has no jar manifest for io.tether.agent
    assertEquals(Agent.FALLBACK_VERSION, Agent.version(Agent.class.getPackage()));
    assertEquals(Agent.FALLBACK_VERSION, Agent.version(null));
  }
}
