package io.tether.alert;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users' e-mail addresses. An admin's word confirms one at once; a user's own waits for the
 * single-use link mailed to it. Alerts go only to confirmed addresses.
 */
@ApplicationScoped
public class UserEmails {
  /** How long a confirmation link works. */
  static final Duration CONFIRM_WITHIN = Duration.ofHours(24);

  /** RFC 5321's limit of a path. */
  static final int MAX_LENGTH = 254;

  /** One address, no display name, no list: what a person types into the field. */
  private static final Pattern ADDRESS =
      Pattern.compile("[^@\\s<>\",;:()\\[\\]\\\\]+@[^@\\s<>\",;:()\\[\\]\\\\]+\\.[A-Za-z0-9-]{2,}");

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject EntityManager em;

  /** A user's address and whether it is confirmed; empty address: none. */
  public record Address(String address, boolean confirmed) {}

  /** Throws 400 naming {@code field} unless {@code address} is one plain e-mail address. */
  static String checked(String field, String address) {
    String a = address == null ? "" : address.strip();
    if (a.isEmpty()) {
      throw ApiException.badRequest(field, field + " is required");
    }
    if (a.length() > MAX_LENGTH || !ADDRESS.matcher(a).matches()) {
      throw ApiException.badRequest(
          field, field + " must be one e-mail address like name@example.com, at most 254 chars");
    }
    return a;
  }

  public Optional<Address> of(long userId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select email, confirmed_at is not null from user_emails where user_id = :u")
            .setParameter("u", userId)
            .getResultList();
    return rows.stream().findFirst().map(r -> new Address((String) r[0], (Boolean) r[1]));
  }

  /** The address as the API shows it; {@code mailAvailable}: the portal can send mail. */
  AlertApi.EmailView view(long userId, boolean mailAvailable) {
    return of(userId)
        .map(a -> new AlertApi.EmailView(a.address(), a.confirmed(), mailAvailable))
        .orElse(new AlertApi.EmailView(null, false, mailAvailable));
  }

  /** The confirmed address, the only one mail goes to. */
  Optional<String> confirmed(long userId) {
    return of(userId).filter(Address::confirmed).map(Address::address);
  }

  /** An admin sets it: confirmed at once. */
  void setConfirmed(long userId, String address) {
    QuarkusTransaction.joiningExisting()
        .run(
            () ->
                em.createNativeQuery(
                        "insert into user_emails (user_id, email, confirmed_at) values (:u, :e,"
                            + " now()) on conflict (user_id) do update set email = :e,"
                            + " confirmed_at = now(), confirm_hash = null, confirm_until = null")
                    .setParameter("u", userId)
                    .setParameter("e", address)
                    .executeUpdate());
  }

  /**
   * The user sets it: unconfirmed until the link is followed; answers the link's secret. Setting
   * the address one already confirmed changes nothing and answers empty.
   */
  Optional<String> request(long userId, String address) {
    if (of(userId)
        .filter(a -> a.confirmed() && a.address().equalsIgnoreCase(address))
        .isPresent()) {
      return Optional.empty();
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    em.createNativeQuery(
            "insert into user_emails (user_id, email, confirm_hash, confirm_until)"
                + " values (:u, :e, :h, now() + make_interval(secs => :s))"
                + " on conflict (user_id) do update set email = :e, confirmed_at = null,"
                + " confirm_hash = :h, confirm_until = now() + make_interval(secs => :s)")
        .setParameter("u", userId)
        .setParameter("e", address)
        .setParameter("h", hash(secret))
        .setParameter("s", CONFIRM_WITHIN.toSeconds())
        .executeUpdate();
    return Optional.of(secret);
  }

  /** Follows a link: the address it was sent to is confirmed; empty when unknown or expired. */
  Optional<Confirmed> confirm(String secret) {
    if (secret == null || secret.isBlank() || secret.length() > 100) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "update user_emails set confirmed_at = now(), confirm_hash = null,"
                    + " confirm_until = null where confirm_hash = :h and confirm_until > now()"
                    + " returning user_id, email")
            .setParameter("h", hash(secret.strip()))
            .getResultList();
    return rows.stream()
        .findFirst()
        .map(r -> new Confirmed(((Number) r[0]).longValue(), (String) r[1]));
  }

  /** A confirmed address and whose it is. */
  record Confirmed(long userId, String address) {}

  void remove(long userId) {
    em.createNativeQuery("delete from user_emails where user_id = :u")
        .setParameter("u", userId)
        .executeUpdate();
  }

  private static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
