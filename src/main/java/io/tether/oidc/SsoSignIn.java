package io.tether.oidc;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.access.SecretToken;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.audit.OneLine;
import io.tether.boot.OidcProviderSettings;
import io.tether.db.UniqueRace;
import io.tether.mfa.PendingLogins;
import io.tether.mfa.SecondFactors;
import io.tether.user.AuthService;
import io.tether.user.PasswordHasher;
import io.tether.user.UserAccount;
import io.tether.user.WebSessionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The callback's work: take the flow, exchange the code, check the ID token, find (or bind, or
 * make) the account by (issuer, subject), apply the groups claim, and establish our own web session
 * — or a pending sign-in when the user's second factor is still owed. The provider's tokens are
 * dropped here.
 */
@ApplicationScoped
public class SsoSignIn {
  /** The advisory lock class that serialises sign-ins of one (issuer, subject): "TSSO". */
  static final int IDENTITY_LOCK_CLASS = 0x5453534f;

  /** Tries of a sign-in that lost a race to a unique index (a new account's name). */
  static final int ATTEMPTS = 3;

  @Inject OidcProviders providers;
  @Inject OidcFlows flows;
  @Inject SsoInvitations invitations;
  @Inject GroupClaims groups;
  @Inject AuthService auth;
  @Inject SecondFactors factors;
  @Inject PendingLogins pending;
  @Inject PasswordHasher hasher;
  @Inject AuditLog audit;

  /**
   * What a callback ends in: a session, a pending token for our second-factor step, or (for a link)
   * the provider whose identity was linked to the signed-in user.
   */
  record Outcome(
      WebSessionService.Created session,
      String pendingToken,
      String linked,
      List<String> methods) {}

  Outcome complete(
      OidcProviderSettings provider,
      String code,
      String state,
      String error,
      String browser,
      String redirectUri,
      String address) {
    OidcFlows.Taken flow =
        flows
            .take(state, browser)
            .filter(f -> f.provider().equals(provider.name()))
            .orElseThrow(
                () ->
                    new SsoRefusal(
                        SsoRefusal.STATE,
                        "state unknown, already used, expired or from another browser"));
    if (error != null || code == null || code.isBlank()) {
      throw new SsoRefusal(
          SsoRefusal.PROVIDER,
          "the provider answered " + (error != null ? shown(error) : "no code"));
    }
    ProviderClient.Metadata metadata = providers.metadata(provider);
    String idToken =
        providers
            .client()
            .idToken(
                metadata,
                provider.clientId(),
                provider.clientSecret(),
                code,
                redirectUri,
                flow.verifier());
    IdTokenCheck.Identity identity =
        IdTokenCheck.verify(
            idToken,
            providers.keys(provider, idToken),
            metadata.issuer(),
            provider.clientId(),
            flow.nonce(),
            Instant.now());
    for (int attempt = 1; ; attempt++) {
      try {
        return QuarkusTransaction.requiringNew()
            .call(() -> signIn(provider, flow, identity, address));
      } catch (RuntimeException e) {
        // two new accounts took one name at once: the next try sees the winner's and picks another
        if (attempt >= ATTEMPTS || UniqueRace.field(e).isEmpty()) {
          throw e;
        }
      }
    }
  }

  private Outcome signIn(
      OidcProviderSettings provider,
      OidcFlows.Taken flow,
      IdTokenCheck.Identity identity,
      String address) {
    String method = "oidc:" + provider.name();
    // one identity's sign-ins one after another: two first sign-ins at once (a double click, two
    // tabs) would each find it unbound and each make an account; the second now finds the first's
    UserIdentity.getEntityManager()
        .createNativeQuery("select pg_advisory_xact_lock(:c, hashtext(:i))")
        .setParameter("c", IDENTITY_LOCK_CLASS)
        .setParameter("i", identity.issuer() + "\n" + identity.subject())
        .getSingleResult();
    Optional<UserIdentity> bound = UserIdentity.of(identity.issuer(), identity.subject());
    if (flow.linkUserId() != null) {
      link(provider, flow.linkUserId(), identity, bound, address);
      return new Outcome(null, null, provider.name(), List.of());
    }
    UserAccount user;
    if (bound.isPresent()) {
      user = UserAccount.findById(bound.get().userId);
    } else if (flow.invitationId() != null) {
      long userId =
          invitations
              .use(flow.invitationId())
              .orElseThrow(
                  () ->
                      new SsoRefusal(
                          SsoRefusal.INVITATION, "invitation used or expired meanwhile"));
      user = UserAccount.findById(userId);
      bind(provider, user, identity, address, "by invitation");
    } else if (provider.autoCreate()) {
      user = provision(provider, identity, address);
      bind(provider, user, identity, address, "just-in-time");
    } else {
      throw new SsoRefusal(
          SsoRefusal.UNBOUND,
          "no account for this identity (subject "
              + shown(identity.subject())
              + "); just-in-time accounts are off and no invitation was used");
    }
    if (user.disabled) {
      throw new SsoRefusal(SsoRefusal.DISABLED, "account " + user.username + " is disabled");
    }
    UserIdentity.update(
        "lastLoginAt = ?1 where issuer = ?2 and subject = ?3",
        Instant.now(),
        identity.issuer(),
        identity.subject());
    groups.apply(user, provider, claimValues(identity, provider), address);
    boolean mfa = !Collections.disjoint(identity.amr(), provider.mfaAmr());
    List<String> methods = mfa ? List.of() : factors.methods(user.id);
    if (!methods.isEmpty()) {
      return new Outcome(null, pending.issue(user.id, address, method), null, methods);
    }
    return new Outcome(auth.signedIn(user, address, method, mfa, null), null, null, List.of());
  }

  private void link(
      OidcProviderSettings provider,
      long userId,
      IdTokenCheck.Identity identity,
      Optional<UserIdentity> bound,
      String address) {
    if (bound.isPresent() && bound.get().userId != userId) {
      throw new SsoRefusal(
          SsoRefusal.LINKED_ELSEWHERE, "identity is already bound to another account");
    }
    UserAccount user = UserAccount.findById(userId);
    if (user == null || user.disabled) {
      throw new SsoRefusal(SsoRefusal.DISABLED, "the account to link to is gone or disabled");
    }
    if (bound.isEmpty()) {
      bind(provider, user, identity, address, "linked by the user");
    }
  }

  private void bind(
      OidcProviderSettings provider,
      UserAccount user,
      IdTokenCheck.Identity identity,
      String address,
      String how) {
    UserIdentity row = new UserIdentity();
    row.userId = user.id;
    row.provider = provider.name();
    row.issuer = identity.issuer();
    row.subject = identity.subject();
    row.persist();
    audit.record(
        Audit.by(user.username, user.id, address)
            .action("user.identity-link")
            .subject(user.username)
            .detail(
                "oidc:" + provider.name() + " subject " + shown(identity.subject()) + ", " + how));
  }

  /** A new account for a provider that makes them; its password is random and never signs in. */
  private UserAccount provision(
      OidcProviderSettings provider, IdTokenCheck.Identity identity, String address) {
    Object claim = identity.claims().getClaimValue(provider.usernameClaim());
    String name =
        UsernameChoice.free(
            claim instanceof String s ? s : null, n -> UserAccount.findByUsername(n).isPresent());
    UserAccount user = new UserAccount();
    user.username = name;
    user.passwordHash = hasher.hash(SecretToken.random(32));
    user.passwordLogin = false;
    user.persist();
    UserAccount.flush();
    audit.record(
        Audit.by("oidc:" + provider.name(), null, address)
            .action("user.create")
            .subject(name)
            .detail("just-in-time from oidc:" + provider.name()));
    return user;
  }

  /** The groups claim's values: a list of strings, or one string; empty when absent. */
  static List<String> claimValues(IdTokenCheck.Identity identity, OidcProviderSettings provider) {
    if (provider.groupsClaim().isEmpty()) {
      return List.of();
    }
    Object value = identity.claims().getClaimValue(provider.groupsClaim().get());
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof List<?> l) {
      return l.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }

  /** Provider-chosen text as an audit entry shows it: one line, at most 200 characters. */
  static String shown(String text) {
    return OneLine.of(text.length() > 200 ? text.substring(0, 200) + "…" : text);
  }
}
