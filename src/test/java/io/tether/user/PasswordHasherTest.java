package io.tether.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.boot.Setting;
import org.junit.jupiter.api.Test;

/** The tests run at bcrypt's floor (application.properties' %test); what ships is checked here. */
class PasswordHasherTest {
  private static final String PASSWORD = "correct horse battery";

  @Test
  void thePortalShipsWithCostTenTheLowestProductionCost() {
    assertEquals("10", Setting.PASSWORD_HASH_COST.defaultValue());
    assertEquals(
        PasswordHasher.LOWEST_PRODUCTION_COST,
        Integer.parseInt(Setting.PASSWORD_HASH_COST.defaultValue()));
    assertTrue(PasswordHasher.hash(PASSWORD, 10).startsWith("$2a$10$"));
  }

  @Test
  void aHashKeepsMatchingAfterTheCostChangesBecauseItNamesItsOwnCost() {
    PasswordHasher hasher = new PasswordHasher();
    String cheap = PasswordHasher.hash(PASSWORD, 4);
    String dear = PasswordHasher.hash(PASSWORD, 11);
    assertTrue(cheap.startsWith("$2a$04$") && dear.startsWith("$2a$11$"), cheap + " " + dear);
    assertTrue(hasher.matches(PASSWORD, cheap));
    assertTrue(hasher.matches(PASSWORD, dear));
    assertFalse(hasher.matches(PASSWORD + "!", dear));
  }
}
