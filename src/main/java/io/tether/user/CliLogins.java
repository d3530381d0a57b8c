package io.tether.user;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.access.Pkce;
import io.tether.access.Principal;
import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The browser sign-in of the command line (RFC 8252 with PKCE): a signed-in browser {@link
 * #authorize allows} it for a PKCE challenge and gets a code; the CLI {@link #exchange trades} the
 * code and its verifier for an API token. The code is random, stored hashed in PostgreSQL (any node
 * may take either step), bound to the user, the challenge and the session's second factor, lives
 * {@link #CODE_LIFETIME} and is spent by its first exchange, right or wrong.
 */
@ApplicationScoped
public class CliLogins {
  /** Long enough for the browser to reach the CLI's listener (or a person to paste the code). */
  public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

  /** 256 bits, like a session id: not guessable, so a fast keyed hash is safe. */
  static final int CODE_BYTES = 32;

  /** The token's lifetime unless the CLI asks otherwise (as tether login's --ttl). */
  public static final int DEFAULT_TTL_DAYS = 30;

  /** The longest a CLI may ask for (as tether login's --ttl). */
  public static final int MAX_TTL_DAYS = 365;

  /** BASE64URL(SHA-256) without padding is 43 characters (RFC 7636, 4.2). */
  static final String CHALLENGE = "[A-Za-z0-9_-]{43}";

  /**
   * The login throttle's key for exchanges: no username has a control character, so it never shares
   * a lock with an account. Wrong codes count per address like wrong passwords.
   */
  static final String THROTTLE_KEY = "\u0001cli-exchange";

  static final String ACTION = "auth.cli-login";

  @Inject TokenHasher hasher;
  @Inject ApiTokenService tokens;
  @Inject WebSessionService sessions;
  @Inject LoginThrottle throttle;
  @Inject AuditLog audit;

  /** A token made by an exchange: the secret value is returned only here. */
  public record Exchanged(ApiToken token, String value, String username) {}

  /** What an unspent code allows, read when it is spent. */
  private record Allowed(
      long userId, String challenge, String name, int ttlDays, long sessionId, boolean mfa) {}

  /**
   * Allows a command-line sign-in from the caller's browser session; the code for the CLI. Audited
   * {@value #ACTION}.
   */
  @Transactional
  public String authorize(
      Principal p, String challenge, String name, Integer ttlDays, String address) {
    if (p.via() != Principal.Via.WEB_SESSION) {
      throw ApiException.forbidden(
          "a signed-in browser allows a command-line sign-in; an API token can be given to"
              + " tether login --token-file instead");
    }
    if (!challenge.matches(CHALLENGE)) {
      throw ApiException.badRequest(
          "challenge", "challenge must be an S256 PKCE challenge (43 base64url characters)");
    }
    int days = ttlDays == null ? DEFAULT_TTL_DAYS : ttlDays;
    if (days < 1 || days > MAX_TTL_DAYS) {
      throw ApiException.badRequest("ttlDays", "ttlDays must be 1 to " + MAX_TTL_DAYS);
    }
    String code = SecretToken.random(CODE_BYTES);
    CliLogin login = new CliLogin();
    login.userId = p.userId();
    login.codeHash = hasher.hash(code);
    login.challenge = challenge;
    login.name = name;
    login.ttlDays = days;
    login.sessionId = p.credentialId();
    login.mfa = p.mfa();
    login.address = address;
    login.expiresAt = Instant.now().plus(CODE_LIFETIME);
    login.persist();
    audit.record(
        Audit.by(p, address)
            .action(ACTION)
            .subject(p.username())
            .detail("allowed " + name + " for " + days + " days" + (p.mfa() ? ", mfa" : "")));
    return code;
  }

  /**
   * Trades a code and the verifier of its challenge for a new API token of the user who allowed it,
   * while the browser session that allowed it lasts. Refusals answer 400 naming {@code code} or
   * {@code verifier}, are audited and count against the address like wrong passwords.
   */
  public Exchanged exchange(String code, String verifier, String address) {
    Optional<LoginThrottle.Refusal> refusal = throttle.check(THROTTLE_KEY, address);
    if (refusal.isPresent()) {
      long seconds = Math.max(1, refusal.get().retryAfter().toSeconds() + 1);
      throw ApiException.tooManyRequests(
          "too many command-line sign-in attempts from your address; try again in "
              + seconds
              + " s",
          seconds);
    }
    Spent spent = QuarkusTransaction.requiringNew().call(() -> spend(code));
    if (spent.refusal() != null) {
      throw refused("code", spent.refusal(), spent.username(), spent.allowed(), address);
    }
    Allowed allowed = spent.allowed();
    if (!MessageDigest.isEqual(
        Pkce.challenge(verifier).getBytes(StandardCharsets.US_ASCII),
        allowed.challenge().getBytes(StandardCharsets.US_ASCII))) {
      throw refused(
          "verifier",
          "the verifier does not match the code's challenge",
          spent.username(),
          allowed,
          address);
    }
    Optional<Principal> session = sessions.current(allowed.sessionId());
    if (session.isEmpty() || session.get().userId() != allowed.userId()) {
      throw refused(
          "code",
          "the browser session that allowed this sign-in has ended: sign in again",
          spent.username(),
          allowed,
          address);
    }
    Principal p = session.get();
    // the token vouches for a second factor only if the session that allowed it had one
    Principal maker =
        new Principal(
            p.userId(),
            p.username(),
            p.admin(),
            Principal.Via.WEB_SESSION,
            p.credentialId(),
            null,
            p.mfa() && allowed.mfa());
    ApiTokenService.Issued issued =
        tokens.create(
            maker, allowed.name(), Instant.now().plus(Duration.ofDays(allowed.ttlDays())));
    throttle.succeeded(THROTTLE_KEY, address);
    audit.recordAlone(
        Audit.by(p.username(), p.userId(), address)
            .action(ACTION)
            .subject(p.username())
            .detail(
                "token "
                    + issued.token().id
                    + " "
                    + allowed.name()
                    + " issued"
                    + (issued.token().mfa ? ", mfa" : "")));
    return new Exchanged(issued.token(), issued.value(), p.username());
  }

  /** A code spent now, or why not (the user's name when the code was known). */
  private record Spent(Allowed allowed, String username, String refusal) {}

  /**
   * Spends the code (in a transaction of its own: a refusal after it, a wrong verifier, still
   * spends it). Two exchanges racing for one code: the conditional update lets one win.
   */
  private Spent spend(String code) {
    CliLogin found = CliLogin.<CliLogin>find("codeHash", hasher.hash(code)).firstResult();
    if (found == null) {
      return new Spent(null, null, "unknown code: start tether login again");
    }
    Allowed allowed =
        new Allowed(
            found.userId, found.challenge, found.name, found.ttlDays, found.sessionId, found.mfa);
    UserAccount user = UserAccount.findById(found.userId);
    String username = user == null ? null : user.username;
    Instant now = Instant.now();
    if (found.usedAt != null) {
      return new Spent(allowed, username, "this code was already used: start tether login again");
    }
    if (!now.isBefore(found.expiresAt)) {
      return new Spent(allowed, username, "this code has expired: start tether login again");
    }
    int won =
        CliLogin.update(
            "usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", now, found.id);
    return won == 1
        ? new Spent(allowed, username, null)
        : new Spent(allowed, username, "this code was already used: start tether login again");
  }

  private ApiException refused(
      String field, String detail, String username, Allowed allowed, String address) {
    throttle.failed(THROTTLE_KEY, address);
    audit.recordAlone(
        Audit.by(
                username == null ? "cli" : username,
                allowed == null ? null : allowed.userId(),
                address)
            .action(ACTION)
            .outcome(Audit.FAILED)
            .subject(username)
            .detail(field + ": " + detail));
    return ApiException.badRequest(field, detail);
  }

  /** Spent and expired codes are worthless an hour after they ended. */
  @io.quarkus.scheduler.Scheduled(
      every = "10m",
      delayed = "3m",
      concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  @Transactional
  void purge() {
    CliLogin.delete("expiresAt < ?1", Instant.now().minus(Duration.ofHours(1)));
  }
}
