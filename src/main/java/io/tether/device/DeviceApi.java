package io.tether.device;

import io.tether.access.AccessPolicy;
import io.tether.protocol.SemanticVersion;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of the device and group endpoints. */
public final class DeviceApi {
  public static final String NAME_PATTERN = "[A-Za-z0-9_.-]+";
  public static final String NAME_RULE = "may use letters, digits and _ . -";
  public static final String TAG_PATTERN = "[A-Za-z0-9_.:-]+";
  public static final String TAG_RULE = "may use letters, digits and _ . : -";
  static final String ENCODINGS = "utf-8|latin-1|cp437";
  static final String ENCODING_RULE = "must be utf-8, latin-1 or cp437";

  /** A device may carry this many tags: enough to label, bounded for the index and the UI. */
  public static final int MAX_TAGS = 32;

  private DeviceApi() {}

  public record NewDevice(
      @Schema(example = "plc-gateway-7")
          @NotBlank
          @Size(max = 64)
          @Pattern(regexp = NAME_PATTERN, message = NAME_RULE)
          String name,
      @Schema(example = "Moxa NPort in hall 3") @Size(max = 1024) String description,
      @Schema(example = "default") String group,
      @Schema(example = "utf-8") @Pattern(regexp = ENCODINGS, message = ENCODING_RULE)
          String encoding,
      @Size(max = MAX_TAGS)
          List<@NotBlank @Size(max = 64) @Pattern(regexp = TAG_PATTERN, message = TAG_RULE) String>
              tags,
      @Schema(
              description =
                  "agent (default): an agent dials out with the device token; raw: an unmodified"
                      + " device server dials its own ingress port in TCP-client mode",
              enumeration = {"agent", "raw"})
          @Pattern(regexp = "agent|raw", message = "must be agent or raw")
          String mode,
      @Schema(description = "raw devices: sources allowed to dial in; empty admits nobody")
          @Size(max = 64)
          List<String> allowCidrs,
      @Schema(description = "raw devices: the string the unit sends first on connect, if any")
          String connectSecret) {}

  public record DevicePatch(
      @Size(min = 1, max = 64) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE) String name,
      @Size(max = 1024) String description,
      String group,
      @Pattern(regexp = ENCODINGS, message = ENCODING_RULE) String encoding,
      @Size(max = MAX_TAGS)
          List<@NotBlank @Size(max = 64) @Pattern(regexp = TAG_PATTERN, message = TAG_RULE) String>
              tags,
      @Size(max = 64) List<String> allowCidrs,
      @Schema(description = "raw devices: a new connect string; empty removes it")
          String connectSecret,
      @Schema(
              description =
                  "settings per target name, e.g. {\"console\": {\"log\": \"always\"}};"
                      + " targets not named keep theirs")
          @Size(max = 64)
          Map<
                  @Size(min = 1, max = 64) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE)
                  String,
                  @Valid @jakarta.validation.constraints.NotNull TargetPatch>
              targets,
      @Schema(
              description =
                  "TCP targets served as web pages, e.g. {\"ui\": {\"scheme\": \"http\"}};"
                      + " scheme off stops serving one; targets not named keep theirs")
          @Size(max = 64)
          Map<
                  @Size(min = 1, max = 64) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE)
                  String,
                  @Valid @jakarta.validation.constraints.NotNull WebTargetPatch>
              webTargets) {}

  /** What an admin changes on a web target. */
  public record WebTargetPatch(
      @Schema(
              description = "http or https: serve the target as a web page; off: stop",
              enumeration = {"http", "https", "off"})
          @Pattern(regexp = "http|https|off", message = "must be http, https or off")
          String scheme,
      @Schema(
              description =
                  "https: true trusts the certificate the device presents now in place of the"
                      + " pinned one")
          Boolean acceptCertificate) {}

  /** What an admin changes on one target. */
  public record TargetPatch(
      @Schema(
              description =
                  "always: keep the target open and log its output; off: never; default: the"
                      + " group's default (serial targets)",
              enumeration = {"always", "off", "default"})
          @Pattern(regexp = "always|off|default", message = "must be always, off or default")
          String log) {}

  /** A target as shown: what the agent offers, and whether it is logged. */
  public record TargetView(
      String name,
      @Schema(description = "serial or tcp; null for a target the agent does not offer now")
          String kind,
      String description,
      String status,
      @Schema(
              description = "whether the target is kept open and its output logged",
              enumeration = {"always", "off"})
          String log,
      @Schema(description = "the target's own log setting; null: the group's default")
          String logSetting,
      @Schema(
              description = "http or https when the target is served as a web page; else null",
              enumeration = {"http", "https"})
          String web,
      @Schema(
              description =
                  "https web targets: SHA-256 of the device certificate pinned on first use")
          String webFingerprint,
      @Schema(
              description =
                  "https web targets: SHA-256 of a different certificate the device presented"
                      + " since (refused until an admin accepts it)")
          String webOfferedFingerprint) {
    static List<TargetView> of(Device d) {
      List<TargetView> views = new java.util.ArrayList<>();
      java.util.Set<String> offered = new java.util.HashSet<>();
      for (DeviceTarget t : d.targets) {
        offered.add(t.name());
        views.add(of(d, t.name(), t.kind(), t.description(), t.status()));
      }
      d.targetSettings.forEach(
          (name, s) -> {
            if (!offered.contains(name)) {
              views.add(of(d, name, null, "", "not offered"));
            }
          });
      return views;
    }

    private static TargetView of(
        Device d, String name, String kind, String description, String status) {
      TargetSettings own = d.targetSettings.get(name);
      boolean logged = TargetSettings.logged(own, kind, d.group.consoleLog);
      WebTarget web = d.webTarget(name).orElse(null);
      return new TargetView(
          name,
          kind,
          description,
          status,
          logged ? TargetSettings.LOG_ALWAYS : TargetSettings.LOG_OFF,
          own == null ? null : own.log(),
          web == null ? null : web.scheme,
          web == null ? null : web.pinnedSha256,
          web == null ? null : web.offeredSha256);
    }
  }

  public record DeviceView(
      long id,
      String name,
      String description,
      String group,
      List<String> tags,
      String mode,
      String encoding,
      boolean online,
      Instant lastSeen,
      String remoteAddress,
      String agentVersion,
      @Schema(
              description =
                  "the agent is older than TETHER_AGENT_MIN_VERSION (false when unset, or when"
                      + " either version is not MAJOR.MINOR.PATCH[-PRE])")
          boolean agentOutdated,
      @Schema(
              description =
                  "the agent of the device's last tunnel can upgrade itself (POST"
                      + " /api/devices/{id}/agent-upgrade); false for agents older than that")
          boolean agentUpgradable,
      List<TargetView> targets,
      List<String> warnings,
      IngressSetup ingress,
      @Schema(
              description =
                  "active, or pending: self-enrolled and unreachable until an admin approves it",
              enumeration = {"active", "pending"})
          String state,
      @Schema(
              description =
                  "the last line a console rule of the device's group matched (null: none yet);"
                      + " it stays until the next match")
          ConsoleMatch consoleMatch,
      Instant createdAt) {
    /** A duplicate-agent attempt is shown for this long after the last one. */
    static final java.time.Duration DUPLICATE_WARNING = java.time.Duration.ofHours(1);

    /**
     * The agents' instance ids (and the refused one's address) go to admins only: an instance id is
     * what lets an agent replace the live tunnel rather than be refused as a duplicate.
     */
    static List<String> warnings(Device d, boolean admin) {
      if (d.duplicateSeenAt != null
          && d.duplicateSeenAt.isAfter(Instant.now().minus(DUPLICATE_WARNING))) {
        String detail =
            admin
                ? d.duplicateDetail
                : "another agent installation tried to connect while one is connected";
        return List.of("duplicate-agent: " + detail + " at " + d.duplicateSeenAt);
      }
      return List.of();
    }

    /**
     * {@code admin}: the caller is an admin and may see the agents' instance ids; {@code
     * minAgentVersion}: TETHER_AGENT_MIN_VERSION, if set.
     */
    public static DeviceView of(
        Device d,
        boolean admin,
        java.util.Optional<String> minAgentVersion,
        boolean secondFactorEverywhere) {
      return new DeviceView(
          d.id,
          d.name,
          d.description,
          d.group.name,
          List.of(d.tags),
          d.mode,
          d.encoding,
          d.online,
          d.lastSeen,
          d.remoteAddress,
          d.agentVersion,
          minAgentVersion.filter(min -> SemanticVersion.older(d.agentVersion, min)).isPresent(),
          d.agentUpgradable,
          TargetView.of(d),
          warnings(d, admin),
          IngressSetup.of(d, secondFactorEverywhere),
          d.state,
          ConsoleMatch.of(d),
          d.createdAt);
    }
  }

  /**
   * A console rule matched a line the device printed: the rule's name and severity, the target, the
   * line (its first 200 characters) and when it was read.
   */
  public record ConsoleMatch(
      String rule,
      @Schema(enumeration = {"info", "warning", "critical"}) String severity,
      String target,
      String line,
      Instant at) {
    static ConsoleMatch of(Device d) {
      return d.consoleMatchAt == null
          ? null
          : new ConsoleMatch(
              d.consoleMatchRule,
              d.consoleMatchSeverity,
              d.consoleMatchTarget,
              d.consoleMatchLine,
              d.consoleMatchAt);
    }
  }

  /** The device as created, with its token (shown only here). */
  public record CreatedDevice(
      long id,
      String name,
      String description,
      String group,
      List<String> tags,
      String mode,
      boolean online,
      Instant createdAt,
      @Schema(description = "the device token (agent devices), shown only here") String token,
      IngressSetup ingress) {}

  public record RotatedToken(String token) {}

  public record NewGroup(
      @NotBlank @Size(max = 64) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE) String name) {}

  public record GroupView(
      long id,
      String name,
      String recording,
      Integer retentionDays,
      boolean allowUnrecorded,
      @Schema(description = "encoding of a new device of the group that names none")
          String defaultEncoding,
      @Schema(description = "tags every new device of the group gets besides its own")
          List<String> defaultTags,
      @Schema(
              description = "console logging of serial targets without their own setting",
              enumeration = {"off", "always"})
          String consoleLog,
      @Schema(description = "bytes of console log kept per target") long consoleLogMaxBytes,
      @Schema(description = "days of console log kept") int consoleLogDays,
      @Schema(
              description =
                  "seconds a device may be away before device.offline; null: the deployment's"
                      + " TETHER_OFFLINE_GRACE")
          Integer offlineGraceSeconds,
      @Schema(
              description =
                  "terminals, forwards and data flows on its devices need a second factor")
          boolean requireSecondFactor,
      @Schema(
              description =
                  "when a second factor is required: days an API token made with one opens"
                      + " terminals and forwards after it was made")
          int secondFactorTokenDays,
      @Schema(
              description =
                  "when a second factor is required: minutes within which it must have been"
                      + " presented when a session opens; null: not asked again")
          Integer reauthMinutes) {
    static GroupView of(DeviceGroup g) {
      return new GroupView(
          g.id,
          g.name,
          g.recording,
          g.retentionDays,
          g.allowUnrecorded,
          g.encodingFor(null),
          List.of(g.defaultTags),
          g.consoleLog,
          g.consoleLogMaxBytes == null ? DeviceGroup.DEFAULT_LOG_MAX_BYTES : g.consoleLogMaxBytes,
          g.consoleLogDays == null ? DeviceGroup.DEFAULT_LOG_DAYS : g.consoleLogDays,
          g.offlineGraceSeconds,
          g.requireSecondFactor,
          g.secondFactorTokenDays(),
          g.reauthMinutes);
    }
  }

  /**
   * A group's longest retention: 100 years is "keep", and the purge's date arithmetic stays far
   * from PostgreSQL's timestamp range (a larger value made the purge fail for every group).
   */
  public static final int MAX_RETENTION_DAYS = 36_500;

  static final String MIN_RETENTION = "must be at least 1 day";
  static final String MAX_RETENTION = "must be at most 36500 days (100 years)";

  /** What an admin may change on a group: its recording policy, retention and device defaults. */
  public record GroupChange(
      @Schema(enumeration = {"off", "output", "all"})
          @Pattern(regexp = "off|output|all", message = "must be off, output or all")
          String recording,
      @Schema(
              description = "days recordings are kept (1-36500); null: the deployment default",
              minimum = "1",
              maximum = "36500")
          @jakarta.validation.constraints.Min(value = 1, message = MIN_RETENTION)
          @jakarta.validation.constraints.Max(value = MAX_RETENTION_DAYS, message = MAX_RETENTION)
          Integer retentionDays,
      @Schema(description = "true: use the deployment's retention (clears retentionDays)")
          Boolean defaultRetention,
      @Schema(
              description =
                  "with recording all: true lets tether-cli forward to TCP targets, which are"
                      + " never recorded (refused otherwise)")
          Boolean allowUnrecorded,
      @Schema(description = "encoding of new devices of the group that name none")
          @Pattern(regexp = ENCODINGS, message = ENCODING_RULE)
          String defaultEncoding,
      @Schema(description = "tags every new device of the group gets; [] removes them")
          @Size(max = MAX_TAGS)
          List<@NotBlank @Size(max = 64) @Pattern(regexp = TAG_PATTERN, message = TAG_RULE) String>
              defaultTags,
      @Schema(
              description = "console logging of serial targets without their own setting",
              enumeration = {"off", "always"})
          @Pattern(regexp = "off|always", message = "must be off or always")
          String consoleLog,
      @Schema(description = "bytes of console log kept per target (at least 65536)")
          @jakarta.validation.constraints.Min(
              value = 65536,
              message = "must be at least 65536 bytes")
          Long consoleLogMaxBytes,
      @Schema(description = "days of console log kept (1-36500)")
          @jakarta.validation.constraints.Min(value = 1, message = MIN_RETENTION)
          @jakarta.validation.constraints.Max(value = MAX_RETENTION_DAYS, message = MAX_RETENTION)
          Integer consoleLogDays,
      @Schema(
              description =
                  "seconds (0-86400) a device of the group may be away before device.offline;"
                      + " 0: at once",
              minimum = "0",
              maximum = "86400")
          @jakarta.validation.constraints.Min(value = 0, message = "must be at least 0 seconds")
          @jakarta.validation.constraints.Max(
              value = MAX_OFFLINE_GRACE_SECONDS,
              message = "must be at most 86400 seconds (a day)")
          Integer offlineGraceSeconds,
      @Schema(description = "true: use the deployment's TETHER_OFFLINE_GRACE (clears it)")
          Boolean defaultOfflineGrace,
      @Schema(
              description =
                  "true: terminals, forwards and data flows on the group's devices need a"
                      + " credential established with a second factor")
          Boolean requireSecondFactor,
      @Schema(
              description =
                  "days (1-365) an API token made with a second factor opens terminals and"
                      + " forwards on the group's devices after it was made, when the group"
                      + " requires one; default 30",
              minimum = "1",
              maximum = "365")
          @jakarta.validation.constraints.Min(value = 1, message = "must be at least 1 day")
          @jakarta.validation.constraints.Max(
              value = AccessPolicy.MAX_SECOND_FACTOR_TOKEN_DAYS,
              message = "must be at most 365 days")
          Integer secondFactorTokenDays,
      @Schema(
              description =
                  "minutes (1-1440): when a second factor is required, ask for it again before"
                      + " each terminal, forward or device page unless presented this recently",
              minimum = "1",
              maximum = "1440")
          @jakarta.validation.constraints.Min(value = 1, message = "must be at least 1 minute")
          @jakarta.validation.constraints.Max(
              value = MAX_REAUTH_MINUTES,
              message = "must be at most 1440 minutes (a day)")
          Integer reauthMinutes,
      @Schema(description = "true: do not ask for the second factor again (clears reauthMinutes)")
          Boolean noReauth) {}

  /** The longest a group may let a second factor count as fresh: a day. */
  public static final int MAX_REAUTH_MINUTES = 1440;

  /** A group's longest offline grace: a day (a device away longer is news by any measure). */
  public static final int MAX_OFFLINE_GRACE_SECONDS = 86_400;
}
