package io.tether.access;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.tether.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * Link ports and raw ingress carry no user, so the second-factor policy cannot ask anyone when a
 * connection arrives: on a group that requires a second factor, the admin who creates or widens one
 * presents theirs instead, fresh — a current code of their authenticator app sent with the request
 * in {@value #HEADER}, or a second factor presented for the session within {@link #JUST_NOW} (how
 * an admin with security keys alone confirms it: a key's step-up, then the request). A right code
 * is worth that one request; a wrong one counts toward the account's second-factor lock like a
 * wrong sign-in code.
 */
@ApplicationScoped
public class FreshSecondFactor {
  /** The request header carrying the code. */
  public static final String HEADER = "X-Tether-OTP";

  /**
   * How recently a second factor presented for the session (a security key's step-up, a code, the
   * sign-in itself) stands in for a code in the header.
   */
  public static final Duration JUST_NOW = Duration.ofMinutes(2);

  /** The problem type of a refusal for want of it; the UI then asks for a code and retries. */
  public static final String REQUIRED = "urn:tether:problem:fresh-second-factor-required";

  @Inject AccessPolicy policy;
  @Inject SecondFactorCheck factors;
  @Inject CurrentVertxRequest request;
  @Inject CurrentPrincipal current;
  @Inject Authenticator authenticator;

  /**
   * Throws 403 {@link #REQUIRED} unless the group does not require a second factor or this request
   * carries a right code of the admin's; {@code what} names the change ("link ports").
   */
  public void require(Principal admin, boolean groupRequires, String groupName, String what) {
    if (!policy.requiresSecondFactor(groupRequires)) {
      return;
    }
    String code = request.getCurrent().request().getHeader(HEADER);
    if ((code == null || code.isBlank()) && presentedWithin(admin, JUST_NOW)) {
      return; // a security key (or a code) presented for this session moments ago
    }
    String why =
        "group '" + groupName + "' requires a second factor and " + what + " carry no user";
    boolean app = factors.enrolled(admin.userId());
    boolean keys = factors.hasKeys(admin.userId());
    if (!app && !keys) {
      throw refused(
          why + ": enrol an authenticator app or a security key on your account page first");
    }
    if (code == null || code.isBlank()) {
      throw refused(
          why
              + ": "
              + (app ? "send a current code of your authenticator app in " + HEADER + ", or " : "")
              + "present your security key (POST /api/me/second-factor/fresh) and send the"
              + " request again within "
              + JUST_NOW.toMinutes()
              + " minutes");
    }
    if (!app) {
      throw refused("you have no authenticator app to send a code of in " + HEADER);
    }
    if (!factors.accepted(admin.userId(), code.trim(), current.address())) {
      throw refused("the code in " + HEADER + " is wrong");
    }
  }

  /**
   * The principal after the code this request carries in {@value #HEADER}, if any: a right code is
   * remembered for its credential, so a group that asks for the second factor again before each
   * session counts from now (an API token's forward socket, for instance); a wrong one is refused
   * (401 {@link AccessPolicy#MFA_REQUIRED} for a token, else 403 {@link #REQUIRED}) and counted.
   */
  public Principal presented(Principal p) {
    String code = request.getCurrent().request().getHeader(HEADER);
    if (code == null || code.isBlank()) {
      return p;
    }
    if (!factors.enrolled(p.userId())
        || !factors.accepted(p.userId(), code.trim(), current.address())) {
      String detail =
          factors.enrolled(p.userId())
              ? "the code in " + HEADER + " is wrong"
              : "you have no authenticator app to send a code of in " + HEADER;
      throw p.via() == Principal.Via.API_TOKEN
          ? ApiException.typed(401, AccessPolicy.MFA_REQUIRED, "Second factor required", detail)
          : refused(detail);
    }
    return authenticator.factorPresented(p);
  }

  /**
   * A code typed into the page (the step-up before a session): right, it is remembered for the
   * browser session; wrong, 400 naming {@code code}, counted toward the account's lock.
   */
  public Principal stepUp(Principal p, String code) {
    if (!factors.enrolled(p.userId())) {
      throw ApiException.badRequest("code", "you have no authenticator app: enrol one first");
    }
    if (!factors.accepted(p.userId(), code.trim(), current.address())) {
      throw ApiException.badRequest("code", "the code is wrong or was used already");
    }
    return authenticator.factorPresented(p);
  }

  private static boolean presentedWithin(Principal p, Duration window) {
    return p.factorAt() != null && p.factorAt().plus(window).isAfter(Instant.now());
  }

  private static ApiException refused(String detail) {
    return ApiException.typed(403, REQUIRED, "Fresh second factor required", detail);
  }
}
