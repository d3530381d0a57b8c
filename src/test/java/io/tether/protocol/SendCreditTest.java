package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The sending side of a channel direction: never more than the credit granted. */
class SendCreditTest {
  @Test
  void startsWithTheWindow() {
    assertEquals(
        ProtocolLimits.DEFAULT_WINDOW, new SendCredit(ProtocolLimits.DEFAULT_WINDOW).available());
  }

  @Test
  void takesAtMostWhatIsAvailable() {
    SendCredit credit = new SendCredit(20_000);
    assertEquals(16_384, credit.take(16_384));
    assertEquals(3_616, credit.take(16_384), "only the rest of the credit");
    assertEquals(0, credit.take(1), "no credit: nothing may be sent");
    assertEquals(0, credit.available());
  }

  @Test
  void grantsAddUp() {
    SendCredit credit = new SendCredit(0);
    credit.grant(131_072);
    credit.grant(131_072);
    assertEquals(262_144, credit.available());
    assertEquals(100, credit.take(100));
    assertEquals(262_044, credit.available());
  }

  @Test
  void holdsCreditBeyondAnInt() {
    SendCredit credit = new SendCredit(0xffffffffL);
    credit.grant(0xffffffffL);
    assertEquals(2 * 0xffffffffL, credit.available());
    assertEquals(Integer.MAX_VALUE, credit.take(Integer.MAX_VALUE));
  }
}
