package io.tether.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretTokenTest {
  @Test
  void generatedTokenParsesBackToItsParts() {
    SecretToken token = SecretToken.generate(SecretToken.DEVICE);
    assertTrue(token.value().startsWith("tdv_"));
    assertEquals(token, SecretToken.parse(token.value(), SecretToken.DEVICE).orElseThrow());
  }

  @Test
  void rejectsTokenOfAnotherKind() {
    SecretToken api = SecretToken.generate(SecretToken.API);
    assertFalse(SecretToken.parse(api.value(), SecretToken.DEVICE).isPresent());
  }

  @Test
  void rejectsMalformedTokens() {
    assertFalse(SecretToken.parse("tdv_nothex_abc", SecretToken.DEVICE).isPresent());
    assertFalse(SecretToken.parse("", SecretToken.DEVICE).isPresent());
    assertFalse(SecretToken.parse(null, SecretToken.DEVICE).isPresent());
  }

  @Test
  void toStringNeverShowsTheSecret() {
    SecretToken token = SecretToken.generate(SecretToken.API);
    assertFalse(token.toString().contains(token.secret()));
  }

  @Test
  void everyTokenIsDifferent() {
    assertNotEquals(SecretToken.generate("tat").value(), SecretToken.generate("tat").value());
  }
}
