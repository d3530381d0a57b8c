package io.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading {@code stty size} for the session's size, and what a resize says to the portal. */
class WindowSizeTest {
  @Test
  void sttySizeIsRowsThenColumns() {
    assertEquals(Optional.of(new WindowSize.Size(132, 43)), WindowSize.parse("43 132\n"));
  }

  @Test
  void aTerminalThatDoesNotKnowItsSizeOrGarbageGivesNone() {
    for (String answer : new String[] {"0 0", "", "43", "43 x", "1 70000", "-1 80"}) {
      assertEquals(Optional.empty(), WindowSize.parse(answer), answer);
    }
  }

  @Test
  void aSizeIsTheTerminalsResizeMessage() {
    assertEquals(
        "{\"type\":\"resize\",\"cols\":132,\"rows\":43}", new WindowSize.Size(132, 43).json());
  }
}
