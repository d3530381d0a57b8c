package io.tether.audit;

import io.tether.access.Principal;

/** One thing to audit, built fluently: {@code Audit.by(principal, address).action("x").ok()}. */
public record Audit(
    String actor,
    Long actorId,
    String address,
    String action,
    String outcome,
    String subject,
    Long deviceId,
    String detail) {

  public static final String OK = "ok";
  public static final String DENIED = "denied";
  public static final String FAILED = "failed";

  public static Audit by(Principal principal, String address) {
    return new Audit(principal.username(), principal.userId(), address, null, OK, null, null, null);
  }

  public static Audit by(String actor, Long actorId, String address) {
    return new Audit(actor, actorId, address, null, OK, null, null, null);
  }

  public Audit action(String value) {
    return new Audit(actor, actorId, address, value, outcome, subject, deviceId, detail);
  }

  public Audit outcome(String value) {
    return new Audit(actor, actorId, address, action, value, subject, deviceId, detail);
  }

  public Audit subject(String value) {
    return new Audit(actor, actorId, address, action, outcome, value, deviceId, detail);
  }

  public Audit device(Long id) {
    return new Audit(actor, actorId, address, action, outcome, subject, id, detail);
  }

  public Audit detail(String value) {
    return new Audit(actor, actorId, address, action, outcome, subject, deviceId, value);
  }
}
