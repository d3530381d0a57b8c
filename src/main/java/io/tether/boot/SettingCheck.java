package io.tether.boot;

/** How one setting's value is validated before Quarkus starts ({@link SettingChecks} has them). */
@FunctionalInterface
public interface SettingCheck {
  /** Returns when {@code value} is acceptable, else throws a {@link SettingException}. */
  void check(String variable, String value);
}
