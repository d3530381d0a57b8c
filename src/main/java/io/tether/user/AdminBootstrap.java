package io.tether.user;

import io.quarkus.runtime.StartupEvent;
import io.tether.boot.TetherConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import org.jboss.logging.Logger;

/**
 * On a start with no users, creates the first admin ("admin"), marked break-glass: a deployment
 * that turns password sign-in off from its first start ({@code TETHER_PASSWORD_LOGIN=false}) still
 * has one account that signs in while its identity provider is away or not yet configured.
 */
@Singleton
public class AdminBootstrap {
  static final String USERNAME = "admin";

  /** 20 characters from a 56-symbol alphabet: about 116 bits. */
  static final int GENERATED_LENGTH = 20;

  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

  @Inject TetherConfig config;
  @Inject PasswordHasher hasher;

  @Transactional
  void onStart(@Observes StartupEvent event) {
    // A transaction-level advisory lock: two nodes starting together create one admin, not two.
    UserAccount.getEntityManager()
        .createNativeQuery("select pg_advisory_xact_lock(7301)")
        .getSingleResult();
    if (UserAccount.count() > 0) {
      return;
    }
    boolean generated = config.adminPassword().isEmpty();
    String password = config.adminPassword().orElseGet(AdminBootstrap::randomPassword);
    UserAccount admin = new UserAccount();
    admin.username = USERNAME;
    admin.passwordHash = hasher.hash(password);
    admin.admin = true;
    admin.breakGlass = true;
    admin.persist();
    if (generated) {
      LOG.warnf(
          "Created the first admin '%s' with the generated password %s — this is shown once:"
              + " sign in and change it (POST /api/me/password), or set TETHER_ADMIN_PASSWORD"
              + " before the first start",
          USERNAME, password);
    } else {
      LOG.infof(
          "Created the first admin '%s' with the password from TETHER_ADMIN_PASSWORD", USERNAME);
    }
  }

  static String randomPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
    for (int i = 0; i < GENERATED_LENGTH; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
