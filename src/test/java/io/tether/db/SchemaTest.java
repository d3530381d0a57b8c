package io.tether.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.device.DeviceGroup;
import io.tether.protocol.ProtocolLimits;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.user.UserAccount;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The schema Flyway builds is the one the entities expect (Hibernate validates it at start). */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SchemaTest {
  @Inject Flyway flyway;
  @Inject EntityManager em;

  @Test
  void migratingAgainIsANoOp() {
    assertEquals(0, flyway.migrate().migrationsExecuted);
  }

  @Test
  @Transactional
  void defaultGroupExists() {
    assertEquals(1, DeviceGroup.count("name", DeviceGroup.DEFAULT));
  }

  @Test
  @Transactional
  void firstStartCreatesExactlyOneAdmin() {
    assertEquals(1, UserAccount.count("admin", true));
  }

  @Test
  @Transactional
  void helloLimitsAreTheWidthsOfTheColumnsThatKeepTheStrings() {
    assertEquals(ProtocolLimits.MAX_AGENT_VERSION, columnWidth("devices", "agent_version"));
    assertEquals(ProtocolLimits.MAX_INSTANCE_ID, columnWidth("devices", "agent_instance"));
  }

  private int columnWidth(String table, String column) {
    Object width =
        em.createNativeQuery(
                "select character_maximum_length from information_schema.columns"
                    + " where table_name = :t and column_name = :c")
            .setParameter("t", table)
            .setParameter("c", column)
            .getSingleResult();
    return ((Number) width).intValue();
  }
}
