package io.tether.user;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.Startup;
import io.tether.boot.TetherConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * bcrypt password hashing at the configured cost ({@code TETHER_PASSWORD_HASH_COST}); callers
 * throttle before calling, since a hash at the shipped cost 10 costs ~50-100 ms. A stored hash
 * names its own cost, so hashes made at another cost still match.
 */
@ApplicationScoped
@Startup
public class PasswordHasher {
  private static final Logger LOG = Logger.getLogger(PasswordHasher.class);

  /** Below this a guessed password is cheap to test offline: a test suite's setting only. */
  static final int LOWEST_PRODUCTION_COST = 10;

  @Inject TetherConfig config;

  @PostConstruct
  void warnOfATestCost() {
    int cost = config.auth().passwordHashCost();
    if (cost < LOWEST_PRODUCTION_COST) {
      LOG.warnf(
          "TETHER_PASSWORD_HASH_COST=%d is below %d: passwords set now are cheap to guess offline;"
              + " meant for test suites only",
          cost, LOWEST_PRODUCTION_COST);
    }
  }

  public String hash(String password) {
    return hash(password, config.auth().passwordHashCost());
  }

  /** For server commands, which run without the portal's configuration. */
  public static String hash(String password, int cost) {
    return BcryptUtil.bcryptHash(password, cost);
  }

  public boolean matches(String password, String hash) {
    return BcryptUtil.matches(password, hash);
  }
}
