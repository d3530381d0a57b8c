package io.tether.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What an agent's reconnect says of the upgrade it was sent, by how its tunnel had closed. */
class UpgradeOutcomesTest {
  private static UpgradeRows.Open sent(String tunnelClosed) {
    Instant at = Instant.parse("2026-12-08T10:00:00Z");
    return new UpgradeRows.Open(1, "0.1.0", "0.2.0", at, "admin", at, tunnelClosed);
  }

  @Test
  void reconnectingOnTheNewVersionIsOk() {
    assertEquals(
        new UpgradeOutcomes.Outcome("ok", "reconnected reporting 0.2.0"),
        UpgradeOutcomes.reconnected(sent("1001 restarting for an upgrade to 0.2.0"), "0.2.0"));
  }

  @Test
  void comingBackOnTheOldVersionAfterRestartingOnTheNewIsARollback() {
    assertEquals(
        new UpgradeOutcomes.Outcome(
            "failed", "rolled back: the agent restarted on 0.2.0 and came back reporting 0.1.0"),
        UpgradeOutcomes.reconnected(sent("1001 restarting for an upgrade to 0.2.0"), "0.1.0"));
  }

  @Test
  void aTunnelThatDroppedBeforeTheRestartIsNotAppliedRatherThanRolledBack() {
    assertEquals(
        new UpgradeOutcomes.Outcome(
            "failed",
            "not applied: the tunnel closed (1006) before the agent restarted on 0.2.0;"
                + " reconnected reporting 0.1.0"),
        UpgradeOutcomes.reconnected(sent("1006"), "0.1.0"));
  }

  @Test
  void anUnknownEndOfTheTunnelClaimsNeitherRollbackNorDrop() {
    assertEquals(
        new UpgradeOutcomes.Outcome(
            "failed", "reconnected reporting 0.1.0, not 0.2.0 (how its tunnel ended is not known)"),
        UpgradeOutcomes.reconnected(sent(null), "0.1.0"));
  }

  @Test
  void anotherVersionIsNamed() {
    assertEquals(
        new UpgradeOutcomes.Outcome("failed", "reconnected reporting 0.1.5, not 0.2.0"),
        UpgradeOutcomes.reconnected(sent(null), "0.1.5"));
  }
}
