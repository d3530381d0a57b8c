package io.tether.enroll;

import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.Device;
import io.tether.device.DeviceCredentials;
import io.tether.device.DeviceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Self-enrollment: an agent presents an enrollment token and a name once and gets its device's own
 * token. The token's row is locked while it is redeemed, so its use count holds on every node of a
 * cluster at once.
 */
@ApplicationScoped
public class Enrollments {
  static final String INVALID = "the enrollment token is not valid";

  @Inject TokenHasher hasher;
  @Inject DeviceCredentials credentials;
  @Inject AuditLog audit;

  /** A refusal the agent is told about; {@code tokenId} is set when the secret matched. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ApiException answer;
    final Long tokenId;

    Refused(ApiException answer, Long tokenId) {
      super(answer.getMessage(), null, false, false);
      this.answer = answer;
      this.tokenId = tokenId;
    }
  }

  /**
   * Registers the device named in {@code request} with the presented token: in the token's group,
   * with its tags and the group's defaults, pending unless the token approves automatically. Throws
   * {@link Refused} (the transaction rolls back, the use is not counted) for a bad token or a taken
   * name.
   */
  @Transactional
  public EnrollmentApi.Enrolled enroll(
      String presented, EnrollmentApi.Enrollment request, String address) {
    Optional<SecretToken> parsed = SecretToken.parse(presented, SecretToken.ENROLLMENT);
    if (parsed.isEmpty()) {
      throw new Refused(ApiException.unauthorized(INVALID), null);
    }
    EnrollmentToken token =
        EnrollmentToken.<EnrollmentToken>find("lookupId", parsed.get().lookupId())
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .firstResult();
    if (token == null || !hasher.matches(parsed.get().secret(), token.secretHash)) {
      throw new Refused(ApiException.unauthorized(INVALID), null);
    }
    String why = token.refusal(Instant.now());
    if (why != null) {
      throw new Refused(ApiException.unauthorized(why), token.id);
    }
    try {
      DeviceService.requireUniqueName(request.name(), null);
    } catch (ApiException taken) {
      throw new Refused(
          ApiException.conflict(
              "name",
              "a device named '"
                  + request.name()
                  + "' exists: enroll with another --name, or ask an admin to delete it"),
          token.id);
    }
    Device device = new Device();
    device.name = request.name();
    device.group = token.group;
    // the group's defaults as it is now, not when the token was minted
    try {
      device.tags = token.group.tagsFor(List.of(token.tags));
    } catch (ApiException tooMany) {
      throw new Refused(tooMany, token.id);
    }
    device.encoding = token.group.encodingFor(null);
    device.state = token.autoApprove ? Device.ACTIVE : Device.PENDING;
    device.enrolledWith = token.id;
    device.agentVersion = request.agentVersion();
    device.remoteAddress = address;
    device.persist();
    token.usesCount++;
    String deviceToken = credentials.issue(device);
    audit.record(
        Audit.by(actor(token.id), null, address)
            .action("device.enroll")
            .subject(device.name)
            .device(device.id)
            .detail(
                "group "
                    + device.group.name
                    + ", "
                    + device.state
                    + ", use "
                    + token.usesCount
                    + " of "
                    + token.usesAllowed));
    return new EnrollmentApi.Enrolled(
        device.id, device.name, device.group.name, device.state, deviceToken);
  }

  static String actor(long tokenId) {
    return "enrollment-token:" + tokenId;
  }
}
