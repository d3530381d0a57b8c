package io.tether.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class UniqueRaceTest {
  private static PSQLException violation(String constraint) {
    return new PSQLException(
        new ServerErrorMessage(
            "SERROR\0C23505\0Mduplicate key value violates unique constraint\0n"
                + constraint
                + "\0"));
  }

  @Test
  void aUniqueIndexViolationNamesTheFieldItKeepsUniqueThroughWrappers() {
    RuntimeException wrapped =
        new IllegalStateException(
            "hibernate", new RuntimeException(violation("devices_name_live_key")));
    assertEquals(Optional.of("name"), UniqueRace.field(wrapped));
    assertEquals(Optional.of("username"), UniqueRace.field(violation("users_username_key")));
  }

  @Test
  void anUnknownUniqueIndexIsStillARaceWithoutAField() {
    assertEquals(Optional.of(""), UniqueRace.field(violation("some_other_key")));
  }

  @Test
  void otherFailuresAreNotRaces() {
    assertEquals(Optional.empty(), UniqueRace.field(new SQLException("no", "23503")));
    assertEquals(Optional.empty(), UniqueRace.field(new IllegalStateException("x")));
  }
}
