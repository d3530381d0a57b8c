package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** WELCOME: the tunnel parameters an agent adopts. */
class WelcomeTest {
  @Test
  void roundTrips() throws Exception {
    Welcome w = new Welcome(1, ProtocolLimits.DEFAULT_WINDOW, 65_536, 20_000, 60_000, 0);
    assertEquals(w, Welcome.decode(w.encode()));
    Welcome max = new Welcome(0xffff, 0xffffffffL, 0xffffffffL, 1, 0xffffffffL, 0xffffffffL);
    assertEquals(max, Welcome.decode(max.encode()));
  }

  @Test
  void isTwentyTwoBytes() {
    assertEquals(22, new Welcome(1, 1, 1, 1, 1, 0).encode().length);
  }

  @Test
  void rejectsTruncatedWelcome() {
    byte[] full = new Welcome(1, 1, 1, 1, 1, 0).encode();
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThrows(ProtocolException.class, () -> Welcome.decode(cut), n + " bytes");
    }
  }

  @Test
  void rejectsWelcomeWithTrailingBytes() {
    byte[] full = new Welcome(1, 1, 1, 1, 1, 0).encode();
    assertThrows(
        ProtocolException.class, () -> Welcome.decode(Arrays.copyOf(full, full.length + 1)));
  }

  @Test
  void rejectsZeroWindow() {
    byte[] payload = new Welcome(1, 0, 65_536, 20_000, 60_000, 0).encode();
    assertThrows(ProtocolException.class, () -> Welcome.decode(payload));
  }

  @Test
  void rejectsZeroHeartbeat() {
    byte[] payload = new Welcome(1, 1, 65_536, 0, 60_000, 0).encode();
    assertThrows(ProtocolException.class, () -> Welcome.decode(payload));
  }

  @Test
  void rejectsDeadAfterShorterThanHeartbeat() {
    byte[] payload = new Welcome(1, 1, 65_536, 20_000, 19_999, 0).encode();
    assertThrows(ProtocolException.class, () -> Welcome.decode(payload));
  }
}
