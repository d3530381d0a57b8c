package io.tether.testing;

import io.tether.mfa.Base32;
import io.tether.mfa.Totp;
import java.time.Instant;

/**
 * An authenticator app for tests: computes codes from the secret the portal showed, never hands out
 * a step twice, and keeps to codes the portal accepts (the current step or the next).
 */
public final class TotpApp {
  private final byte[] key;
  private long lastStep = Long.MIN_VALUE;
  private String lastCode;

  public TotpApp(String base32Secret) {
    this.key = Base32.decode(base32Secret);
  }

  /**
   * A code the portal has not accepted before and accepts now: the current step's, or the next
   * one's when the current was used. When both were used, waits for the clock to reach the next
   * step (a TOTP step is 30 s: the clock is what is awaited, nothing else).
   */
  public String nextCode() {
    long now = Totp.step(Instant.now());
    long step = Math.max(now, lastStep + 1);
    while (step > Totp.step(Instant.now()) + 1) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for the next TOTP step", e);
      }
    }
    lastStep = step;
    lastCode = Totp.code(key, step);
    return lastCode;
  }

  /** The code {@link #nextCode()} gave last: for replays. */
  public String lastCode() {
    return lastCode;
  }

  /** Six digits that are no code of any step the portal accepts now. */
  public String wrongCode() {
    long now = Totp.step(Instant.now());
    for (int candidate = 0; ; candidate += 111_111) {
      String code = String.format("%06d", candidate % 1_000_000);
      boolean valid = false;
      for (long s = now - 2; s <= now + 2; s++) {
        valid |= Totp.code(key, s).equals(code);
      }
      if (!valid) {
        return code;
      }
    }
  }
}
