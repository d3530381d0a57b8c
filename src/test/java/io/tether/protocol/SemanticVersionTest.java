package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SemanticVersionTest {
  @Test
  void aLowerMinorIsOlder() {
    assertTrue(SemanticVersion.older("0.1.0", "0.2.0"));
    assertFalse(SemanticVersion.older("0.2.0", "0.1.0"));
  }

  @Test
  void numbersCompareAsNumbersNotText() {
    assertTrue(SemanticVersion.older("0.9.0", "0.10.0"));
    assertTrue(SemanticVersion.older("1.2.9", "1.2.10"));
    assertTrue(SemanticVersion.older("1.99.99", "2.0.0"));
  }

  @Test
  void aPreReleaseIsOlderThanItsRelease() {
    assertTrue(SemanticVersion.older("0.1.0-SNAPSHOT", "0.1.0"));
    assertFalse(SemanticVersion.older("0.1.0", "0.1.0-SNAPSHOT"));
    assertTrue(SemanticVersion.older("0.1.0", "0.1.1-SNAPSHOT"));
  }

  @Test
  void preReleasesFollowTheSpecsExampleOrder() {
    List<String> ordered =
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0");
    for (int i = 0; i + 1 < ordered.size(); i++) {
      assertTrue(
          SemanticVersion.older(ordered.get(i), ordered.get(i + 1)),
          ordered.get(i) + " < " + ordered.get(i + 1));
    }
  }

  @Test
  void equalVersionsAndBuildMetadataAreNotOlder() {
    assertFalse(SemanticVersion.older("0.1.0", "0.1.0"));
    assertFalse(SemanticVersion.older("0.1.0+build.7", "0.1.0"));
    assertEquals(
        0,
        SemanticVersion.parse("1.2.3+a")
            .orElseThrow()
            .compareTo(SemanticVersion.parse("1.2.3").orElseThrow()));
  }

  @Test
  void garbageIsNotComparableAndNeverOlder() {
    for (String bad :
        new String[] {
          "", "dev", "1.2", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "v1.2.3", null
        }) {
      assertTrue(SemanticVersion.parse(bad).isEmpty(), String.valueOf(bad));
      assertFalse(SemanticVersion.older(bad, "9.9.9"), String.valueOf(bad));
      assertFalse(SemanticVersion.older("0.0.1", bad), String.valueOf(bad));
    }
  }
}
