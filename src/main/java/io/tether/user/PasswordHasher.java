package io.tether.user;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;

/** bcrypt password hashing; callers throttle before calling, since each hash costs ~50-100 ms. */
@ApplicationScoped
public class PasswordHasher {
  /** bcrypt cost 10: the usual balance between guessing cost and login latency on 2 cores. */
  static final int COST = 10;

  public String hash(String password) {
    return BcryptUtil.bcryptHash(password, COST);
  }

  public boolean matches(String password, String hash) {
    return BcryptUtil.matches(password, hash);
  }
}
