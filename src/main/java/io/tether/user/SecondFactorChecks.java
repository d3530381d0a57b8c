package io.tether.user;

import io.tether.access.SecondFactorCheck;
import io.tether.mfa.SecurityKeys;
import io.tether.mfa.TotpFactors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The access layer's view of a user's authenticator app, behind the sign-in's lock and audit. */
@ApplicationScoped
public class SecondFactorChecks implements SecondFactorCheck {
  @Inject TotpFactors factors;
  @Inject SecurityKeys keys;
  @Inject SecondFactorService service;

  @Override
  public boolean enrolled(long userId) {
    return factors.active(userId);
  }

  @Override
  public boolean hasKeys(long userId) {
    return keys.count(userId) > 0;
  }

  @Override
  public boolean accepted(long userId, String code, String address) {
    UserAccount user = UserAccount.findById(userId);
    return user != null && service.check(user, new SecondFactorService.Code(code, null), address);
  }
}
