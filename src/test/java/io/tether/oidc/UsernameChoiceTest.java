package io.tether.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The name of a just-in-time account: never an existing account's. */
class UsernameChoiceTest {
  private static boolean takenIn(Set<String> names, String candidate) {
    return names.stream().anyMatch(n -> n.equalsIgnoreCase(candidate));
  }

  @Test
  void aFreeClaimIsTheName() {
    assertEquals("alice", UsernameChoice.free("alice", n -> false));
  }

  @Test
  void aTakenNameIsSuffixedTwoThenThree() {
    Set<String> taken = Set.of("Alice", "alice-2");
    assertEquals("alice-3", UsernameChoice.free("alice", n -> takenIn(taken, n)));
    assertEquals("bob-2", UsernameChoice.free("bob", n -> takenIn(Set.of("BOB"), n)));
  }

  @Test
  void charactersOutsideUsernamesBecomeDashes() {
    assertEquals("J-rgen-M-ller", UsernameChoice.base("Jürgen Müller"));
    assertEquals("a-b", UsernameChoice.base("a\nb"));
    assertEquals("user", UsernameChoice.base("  "));
    assertEquals("user", UsernameChoice.base(null));
    assertEquals(UsernameChoice.MAX_BASE, UsernameChoice.base("x".repeat(200)).length());
  }
}
