package io.tether.boot;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every operator setting, declared once: its environment variable, its default, how it is checked
 * before Quarkus starts, the line README.md's configuration table shows for it, and the Quarkus
 * properties application.properties maps from it. {@link BootSettings} validates against this;
 * {@code SettingDeclarationTest} fails the build when README.md, application.properties or {@link
 * TetherConfig} drift from it.
 */
public enum Setting {
  HTTP_PORT(
      "TETHER_HTTP_PORT",
      "8080",
      SettingChecks::port,
      "Port for the web UI, REST API, tunnels (HTTPS when TLS is set)",
      "quarkus.http.port"),
  HTTP_HOST(
      "TETHER_HTTP_HOST",
      "0.0.0.0",
      SettingChecks::any,
      "Address the main port binds to",
      "quarkus.http.host"),
  PUBLIC_URL(
      "TETHER_PUBLIC_URL",
      "",
      SettingChecks::httpUrl,
      "URL users reach the portal at (`https://…` behind a TLS proxy); used for cookie flags, the"
          + " allowed `Origin` and as the relying party of security keys (its host is the rpId)",
      "tether.public-url"),
  WEB_DOMAIN(
      "TETHER_WEB_DOMAIN",
      "",
      SettingChecks::any,
      "Domain that serves device web pages, each at `d-<id>.<domain>` (`devices.example.net` or"
          + " `https://devices.example.net:8443`); must be HTTPS and share no registrable domain"
          + " with `TETHER_PUBLIC_URL`; unset: no device web pages (docs/device-web.md)",
      "tether.web-domain"),
  WEB_DOMAIN_INSECURE_LOOPBACK_FOR_TESTS(
      "TETHER_WEB_DOMAIN_INSECURE_LOOPBACK_FOR_TESTS",
      "false",
      SettingChecks::trueFalse,
      "Tests only: `true` lets `TETHER_WEB_DOMAIN` be plain `http://` under `.localhost`",
      "tether.web-domain-insecure-loopback-for-tests"),
  DATA_DIR(
      "TETHER_DATA_DIR",
      "./data",
      SettingChecks::writableDirectory,
      "Embedded database, node id, secrets; one portal per data dir",
      "tether.data-dir"),
  SECRET_KEY_FILE(
      "TETHER_SECRET_KEY_FILE",
      "",
      SettingChecks::secretKeyFile,
      "Absolute path of the `secret.key` to use instead of the data dir's (one file for every node"
          + " of a cluster); no access for other users (`chmod 600`); nothing is written to the"
          + " data dir's",
      "tether.secret-key-file"),
  DOWNLOADS_DIR(
      "TETHER_DOWNLOADS_DIR",
      "",
      SettingChecks::readableDirectory,
      "Where the agent files served at `/downloads/` are (`tether-agent.jar`,"
          + " `tether-agent_VERSION_all.deb`); unset: the directory that holds the portal's"
          + " `quarkus-app`",
      "tether.downloads-dir"),
  AGENT_MIN_VERSION(
      "TETHER_AGENT_MIN_VERSION",
      "",
      SettingChecks::semanticVersion,
      "Agents older than this version (`MAJOR.MINOR.PATCH`, e.g. `0.2.0`) are flagged outdated on"
          + " the fleet page; unset: none are",
      "tether.agent-min-version"),
  AGENT_UPGRADE_TIMEOUT(
      "TETHER_AGENT_UPGRADE_TIMEOUT",
      "15m",
      SettingChecks::positiveDuration,
      "An agent upgrade with no answer this long is closed as failed (an agent's download may take"
          + " 10 min, its trial 1 min)",
      "tether.agent-upgrade-timeout"),
  DB_URL(
      "TETHER_DB_URL",
      "",
      SettingChecks::postgresJdbcUrl,
      "`jdbc:postgresql://HOST:PORT/DB` of an external PostgreSQL; when unset the portal runs an"
          + " embedded one"),
  DB_USER("TETHER_DB_USER", "", SettingChecks::any, "User name for `TETHER_DB_URL`"),
  DB_PASSWORD("TETHER_DB_PASSWORD", "", SettingChecks::any, "Password for `TETHER_DB_URL`"),
  DB_EMBEDDED_AS(
      "TETHER_DB_EMBEDDED_AS",
      "auto",
      SettingChecks::any,
      "When running as root: `namespace` (user namespace) or `user` (as `nobody`); `auto` tries"
          + " both"),
  NODE_URL(
      "TETHER_NODE_URL",
      "",
      SettingChecks::httpUrl,
      "Switches cluster mode on: this node's internal URL, reached by the other nodes only (never"
          + " the balancer); needs `TETHER_DB_URL`, and `https://` unless it is a loopback address",
      "tether.cluster.node-url"),
  NODE_TLS_CERT(
      "TETHER_NODE_TLS_CERT",
      "",
      SettingChecks::readableFile,
      "PEM certificate the relay listener at an `https://` `TETHER_NODE_URL` serves (it must name"
          + " that URL's host; signed by `TETHER_NODE_CA`)",
      "tether.cluster.tls-cert"),
  NODE_TLS_KEY(
      "TETHER_NODE_TLS_KEY",
      "",
      SettingChecks::readableFile,
      "PEM private key of `TETHER_NODE_TLS_CERT`",
      "tether.cluster.tls-key"),
  NODE_CA(
      "TETHER_NODE_CA",
      "",
      SettingChecks::readableFile,
      "PEM certificate(s) of the cluster's CA: the only issuer this node trusts when it relays to"
          + " another node over `https://`",
      "tether.cluster.ca"),
  ADMIN_PASSWORD(
      "TETHER_ADMIN_PASSWORD",
      "",
      SettingChecks::any,
      "Password of the first admin, used only when there are no users; unset, a random one is"
          + " logged once",
      "tether.admin-password"),
  TRUSTED_PROXIES(
      "TETHER_TRUSTED_PROXIES",
      "",
      SettingChecks::ipLiteralsOrCidrs,
      "Comma-separated IP addresses/CIDRs of reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed",
      "tether.trusted-proxies"),
  TLS_CERT(
      "TETHER_TLS_CERT",
      "",
      SettingChecks::readableFile,
      "PEM certificate chain; with `TETHER_TLS_KEY` the portal serves HTTPS and WSS itself"),
  TLS_KEY(
      "TETHER_TLS_KEY",
      "",
      SettingChecks::readableFile,
      "PEM private key of `TETHER_TLS_CERT` (the two are set together or not at all)"),
  MANAGEMENT_PORT(
      "TETHER_MANAGEMENT_PORT",
      "9000",
      SettingChecks::port,
      "Port for `/q/metrics` (Prometheus) and `/q/openapi`",
      "quarkus.management.port"),
  MANAGEMENT_HOST(
      "TETHER_MANAGEMENT_HOST",
      "127.0.0.1",
      SettingChecks::any,
      "Address of the management port (keep it off the internet)",
      "quarkus.management.host"),
  LOG_LEVEL(
      "TETHER_LOG_LEVEL",
      "INFO",
      SettingChecks::logLevel,
      "`TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`",
      "quarkus.log.level",
      "quarkus.log.category.\"io.tether\".level"),
  HEARTBEAT(
      "TETHER_HEARTBEAT",
      "20s",
      SettingChecks::positiveDuration,
      "Tunnel PING interval (below common proxies' 50–60 s idle timeouts)",
      "tether.tunnel.heartbeat"),
  DEAD_AFTER(
      "TETHER_DEAD_AFTER",
      "60s",
      SettingChecks::positiveDuration,
      "A tunnel silent this long is declared dead",
      "tether.tunnel.dead-after"),
  PRESENCE_INTERVAL(
      "TETHER_PRESENCE_INTERVAL",
      "60s",
      SettingChecks::positiveDuration,
      "How often \"last seen\" is written to the database",
      "tether.tunnel.presence-interval"),
  SHUTDOWN_RETRY_AFTER(
      "TETHER_SHUTDOWN_RETRY_AFTER",
      "5s",
      SettingChecks::positiveDuration,
      "Delay agents are told to wait after a portal shutdown",
      "tether.tunnel.shutdown-retry-after"),
  NODE_BUFFER_BUDGET(
      "TETHER_NODE_BUFFER_BUDGET",
      "268435456",
      SettingChecks::any,
      "Bytes (256 MiB) the portal buffers for all channels together before devices get no more"
          + " credit",
      "tether.tunnel.node-buffer-budget"),
  SOCKETS_PER_USER(
      "TETHER_SOCKETS_PER_USER",
      "32",
      SettingChecks::any,
      "Live sockets of each kind (terminal, data flow, event stream, forward, SSH session) one user may hold;"
          + " one more is refused with `429`",
      "tether.limits.sockets-per-user"),
  SESSION_IDLE_TIMEOUT(
      "TETHER_SESSION_IDLE_TIMEOUT",
      "30m",
      SettingChecks::positiveDuration,
      "Browser session idle timeout",
      "tether.auth.session-idle-timeout"),
  SESSION_ABSOLUTE_TIMEOUT(
      "TETHER_SESSION_ABSOLUTE_TIMEOUT",
      "12h",
      SettingChecks::positiveDuration,
      "Browser session absolute lifetime",
      "tether.auth.session-absolute-timeout"),
  LOGIN_LOCKOUT_WINDOW(
      "TETHER_LOGIN_LOCKOUT_WINDOW",
      "15m",
      SettingChecks::positiveDuration,
      "Window in which failed logins are counted",
      "tether.auth.lockout-window"),
  LOGIN_LOCKOUT_DURATION(
      "TETHER_LOGIN_LOCKOUT_DURATION",
      "15m",
      SettingChecks::positiveDuration,
      "How long an (account, address) pair stays locked",
      "tether.auth.lockout-duration"),
  PASSWORD_HASH_COST(
      "TETHER_PASSWORD_HASH_COST",
      "10",
      SettingChecks::bcryptCost,
      "bcrypt cost of passwords set from now on, 10–14 (each step doubles a sign-in's CPU);"
          + " 4–9 only for test suites, warned at start. Stored hashes keep the cost they were"
          + " made with until the password changes",
      "tether.auth.password-hash-cost"),
  REQUIRE_SECOND_FACTOR(
      "TETHER_REQUIRE_SECOND_FACTOR",
      "false",
      SettingChecks::trueFalse,
      "`true`: every group requires a second factor to open terminals, forwards and data flows"
          + " (a group can also require it on its own: `requireSecondFactor`)",
      "tether.auth.require-second-factor"),
  PASSWORD_LOGIN(
      "TETHER_PASSWORD_LOGIN",
      "true",
      SettingChecks::trueFalse,
      "`false`: only single sign-on signs in, except admins marked `breakGlass` (a user can also"
          + " lose password sign-in on their own: `passwordLogin`)",
      "tether.auth.password-login"),
  OIDC_PROVIDERS(
      "TETHER_OIDC_PROVIDERS",
      "",
      SettingChecks::any,
      "Single sign-on providers, `name1,name2`, each set by its `TETHER_OIDC_<NAME>_*` variables"
          + " (see Single sign-on); unset: none"),
  RECORDING_FLUSH(
      "TETHER_RECORDING_FLUSH",
      "1s",
      SettingChecks::positiveDuration,
      "Session recordings reach the database at least this often (a crash loses at most this"
          + " much)",
      "tether.recording.flush"),
  RECORDING_MAX_BYTES(
      "TETHER_RECORDING_MAX_BYTES",
      "67108864",
      SettingChecks::positiveBytes,
      "Recorded bytes per session; past this a gap marks where recording stopped",
      "tether.recording.max-bytes"),
  RECORDING_ON_OVERFLOW(
      "TETHER_RECORDING_ON_OVERFLOW",
      "gap",
      SettingChecks::overflowPolicy,
      "When the database cannot keep up with a recording: `gap` (keep the session, record the"
          + " gap) or `end` (end the session with `recording-failed`)",
      "tether.recording.on-overflow"),
  RECORDING_RETENTION(
      "TETHER_RECORDING_RETENTION",
      "90d",
      SettingChecks::positiveDuration,
      "How long recordings are kept, unless the device group sets its own `retentionDays`",
      "tether.recording.retention"),
  CONSOLE_LOG_PURGE_EVERY(
      "TETHER_CONSOLE_LOG_PURGE_EVERY",
      "10m",
      SettingChecks::positiveDuration,
      "How often console logs are cut to their group's `consoleLogMaxBytes` and `consoleLogDays`"
          + " (docs/console-log.md)",
      "tether.console-log.purge-every"),
  LINK_PORTS(
      "TETHER_LINK_PORTS",
      "20000-20999",
      SettingChecks::portRange,
      "The pool link ports come from (see below)",
      "tether.links.ports"),
  LINK_BIND(
      "TETHER_LINK_BIND",
      "0.0.0.0",
      SettingChecks::ipLiteral,
      "The address link ports listen on",
      "tether.links.bind"),
  LINK_PROXY_PROTOCOL(
      "TETHER_LINK_PROXY_PROTOCOL",
      "off",
      SettingChecks::onOff,
      "`on`: link ports sit behind a balancer (HAProxy `send-proxy-v2`); every connection must"
          + " start with a PROXY protocol v2 header from a peer in `TETHER_TRUSTED_PROXIES`, whose"
          + " client address the allowlist and audit use; needs a `TETHER_LINK_BIND` only the"
          + " balancer reaches",
      "tether.links.proxy-protocol"),
  INGRESS_PORTS(
      "TETHER_INGRESS_PORTS",
      "21000-21999",
      SettingChecks::portRange,
      "The pool raw devices' ingress ports come from (one per raw device)",
      "tether.ingress.ports"),
  INGRESS_BIND(
      "TETHER_INGRESS_BIND",
      "0.0.0.0",
      SettingChecks::ipLiteral,
      "The address ingress ports listen on",
      "tether.ingress.bind"),
  INGRESS_PROXY_PROTOCOL(
      "TETHER_INGRESS_PROXY_PROTOCOL",
      "off",
      SettingChecks::onOff,
      "`on`: ingress ports sit behind a balancer, as `TETHER_LINK_PROXY_PROTOCOL` for link ports;"
          + " needs a `TETHER_INGRESS_BIND` only the balancer reaches",
      "tether.ingress.proxy-protocol"),
  INGRESS_GUESS_WINDOW(
      "TETHER_INGRESS_GUESS_WINDOW",
      "5m",
      SettingChecks::positiveDuration,
      "An address that sends 5 wrong connect strings within this window is refused until it"
          + " ends; refusals are audited once per address and window",
      "tether.ingress.guess-window"),
  SSH_PORT(
      "TETHER_SSH_PORT",
      "",
      SettingChecks::port,
      "Port of the SSH front door (`ssh -p PORT USER:DEVICE:TARGET@portal`, docs/ssh.md); unset:"
          + " no SSH server",
      "tether.ssh.port"),
  SSH_BIND(
      "TETHER_SSH_BIND",
      "0.0.0.0",
      SettingChecks::ipLiteral,
      "The address the SSH front door listens on",
      "tether.ssh.bind"),
  SSH_HOST_KEY_FILE(
      "TETHER_SSH_HOST_KEY_FILE",
      "",
      SettingChecks::any,
      "Absolute path of the SSH host key (made there on first start if missing); one file for every"
          + " node of a cluster, so users see one host key; unset: `ssh_host_key` in the data dir",
      "tether.ssh.host-key-file"),
  SSH_IDLE_TIMEOUT(
      "TETHER_SSH_IDLE_TIMEOUT",
      "30m",
      SettingChecks::positiveDuration,
      "An SSH session with no input from its user for this long is closed",
      "tether.ssh.idle-timeout"),
  WEBHOOK_ALLOW(
      "TETHER_WEBHOOK_ALLOW",
      "",
      SettingChecks::ipLiteralsOrCidrs,
      "Comma-separated addresses/CIDRs webhooks may be sent to although they are refused by"
          + " default (loopback, link-local, this host's own addresses; docs/webhooks.md)",
      "tether.webhooks.allow"),
  WEBHOOK_DENY_PRIVATE(
      "TETHER_WEBHOOK_DENY_PRIVATE",
      "false",
      SettingChecks::trueFalse,
      "`true`: webhooks are not sent to private addresses (10/8, 172.16/12, 192.168/16,"
          + " 100.64/10, fc00::/7) either",
      "tether.webhooks.deny-private"),
  WEBHOOK_RETRY_SCHEDULE(
      "TETHER_WEBHOOK_RETRY_SCHEDULE",
      "1m,5m,30m,2h,5h,10h,10h",
      SettingChecks::positiveDurations,
      "Waits between a webhook delivery's attempts (each ±20 % jitter; a `Retry-After` answer"
          + " wins); after the last the delivery has failed",
      "tether.webhooks.retry-schedule"),
  SMTP_HOST(
      "TETHER_SMTP_HOST",
      "",
      SettingChecks::any,
      "SMTP server for e-mail alerts (docs/alerts.md); unset: no e-mail is sent",
      "tether.mail.host"),
  SMTP_PORT("TETHER_SMTP_PORT", "587", SettingChecks::port, "SMTP port", "tether.mail.port"),
  SMTP_SECURITY(
      "TETHER_SMTP_SECURITY",
      "starttls",
      SettingChecks::smtpSecurity,
      "`starttls` (required before credentials), `tls` (TLS from the first byte, port 465) or"
          + " `none` (a relay on a trusted network only)",
      "tether.mail.security"),
  SMTP_USERNAME(
      "TETHER_SMTP_USERNAME", "", SettingChecks::any, "SMTP user name", "tether.mail.username"),
  SMTP_PASSWORD(
      "TETHER_SMTP_PASSWORD",
      "",
      SettingChecks::any,
      "SMTP password (prefer `TETHER_SMTP_PASSWORD_FILE`)",
      "tether.mail.password"),
  SMTP_PASSWORD_FILE(
      "TETHER_SMTP_PASSWORD_FILE",
      "",
      SettingChecks::readableFile,
      "File holding the SMTP password (read at each connection)",
      "tether.mail.password-file"),
  SMTP_FROM(
      "TETHER_SMTP_FROM",
      "",
      SettingChecks::any,
      "Sender of alert mail; unset: `tether@` and the host of `TETHER_PUBLIC_URL`",
      "tether.mail.from"),
  ALERT_DIGEST_WINDOW(
      "TETHER_ALERT_DIGEST_WINDOW",
      "1m",
      SettingChecks::positiveDuration,
      "A user's first alert is mailed at once; alerts within this long after it wait and go"
          + " out as one digest",
      "tether.mail.digest-window"),
  OFFLINE_GRACE(
      "TETHER_OFFLINE_GRACE",
      "60s",
      SettingChecks::positiveDuration,
      "A device that drops and is back within this raises no `device.offline` (a group may set its"
          + " own, `offlineGraceSeconds`); after a restart or a node's loss, one"
          + " `node.devices-missing` lists the devices not back by then (docs/webhooks.md)",
      "tether.alerts.offline-grace"),
  FLAPPING_DROPS(
      "TETHER_FLAPPING_DROPS",
      "5",
      SettingChecks::positiveInteger,
      "A device that drops more often than this within an hour raises one `device.flapping`",
      "tether.alerts.flapping-drops");

  private final String variable;
  private final String defaultValue;
  private final SettingCheck check;
  private final String doc;
  private final List<String> properties;

  Setting(
      String variable, String defaultValue, SettingCheck check, String doc, String... properties) {
    this.variable = variable;
    this.defaultValue = defaultValue;
    this.check = check;
    this.doc = doc;
    this.properties = List.of(properties);
  }

  /** The environment variable an operator sets. */
  public String variable() {
    return variable;
  }

  /** The value used when the variable is unset or blank; empty when there is none. */
  public String defaultValue() {
    return defaultValue;
  }

  /** What the setting does, as one line of README.md's configuration table. */
  public String doc() {
    return doc;
  }

  /**
   * The Quarkus properties application.properties sets from this variable, each as {@code
   * ${VARIABLE:default}}; empty for settings {@link TetherMain} applies itself.
   */
  public List<String> properties() {
    return properties;
  }

  /** The trimmed value from {@code env}, else the default; empty when neither is set. */
  public Optional<String> read(Map<String, String> env) {
    String value = env.get(variable);
    if (value != null && !value.isBlank()) {
      return Optional.of(value.trim());
    }
    return defaultValue.isEmpty() ? Optional.empty() : Optional.of(defaultValue);
  }

  /** Throws a {@link SettingException} naming the variable when {@code value} is not accepted. */
  public void check(String value) {
    check.check(variable, value);
  }
}
