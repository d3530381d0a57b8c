package io.tether.access;

import java.util.Locale;
import java.util.Optional;

/** A role granted on a device group. */
public enum Role {
  VIEWER,
  OPERATOR;

  public boolean allows(Action action) {
    return switch (action) {
      case VIEW -> true;
      case OPERATE -> this == OPERATOR;
      case MANAGE -> false;
    };
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Role role : values()) {
      if (role.wireName().equals(value)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
