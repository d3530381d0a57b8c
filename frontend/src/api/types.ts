// The API's bodies as docs/api.md describes them. Times are ISO-8601 UTC strings.

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type Role = 'viewer' | 'operator';

export interface LoginAnswer {
  username: string;
  admin: boolean;
  csrfToken: string;
  expiresAt: string;
}

/** A right password of a user with a second factor: no session yet (docs/api.md "Second factor"). */
export interface SecondFactorAnswer {
  secondFactor: 'required';
  pendingToken: string;
  methods: string[];
}

/** The caller's TOTP factor (GET /api/me/totp). */
export interface TotpStatus {
  active: boolean;
  /** enrolment started, not confirmed */
  pending: boolean;
  recoveryCodesLeft: number;
  /** this session was signed in with a second factor */
  sessionMfa: boolean;
}

/** A security key or passkey of the caller (GET /api/me/webauthn/credentials). */
export interface SecurityKey {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface TotpEnrolment {
  /** base32, for typing into the app */
  secret: string;
  /** otpauth://totp/…, drawn as the QR code */
  otpauthUri: string;
}

export interface Me {
  id: number;
  username: string;
  admin: boolean;
  /** null when authenticated with an API token */
  csrfToken: string | null;
  grants: { group: string; role: Role }[];
  /** the credential was established with a second factor (absent from older portals) */
  mfa?: boolean;
  /** groups whose terminals refuse this credential for want of a second factor */
  secondFactorRequired?: string[];
  /** groups that ask for the second factor again before each session and would ask now */
  freshSecondFactor?: string[];
  /** what the caller can present the second factor again with: `totp`, `webauthn` */
  secondFactorMethods?: string[];
}

/**
 * A target's status: `ok`, `missing` (the serial port is absent), `error` as its agent reported it,
 * or `busy` while a serial target has a channel open (docs/api.md "Devices"). Kept a string: the
 * page shows whatever the portal says.
 */
export type TargetStatus = string;

export interface DeviceTarget {
  name: string;
  /** null for a target with a setting that the agent does not offer now. */
  kind: string | null;
  description: string | null;
  status: TargetStatus | null;
  /** Whether the target is logged now (absent from portals older than console logging). */
  log?: ConsoleLogPolicy;
  /** The target's own setting; null: the group's default decides. */
  logSetting?: ConsoleLogPolicy | null;
  /** http or https when the target is served as a web page (docs/device-web.md); else null. */
  web?: WebScheme | null;
  /** https web targets: SHA-256 (hex) of the certificate pinned on first use. */
  webFingerprint?: string | null;
  /** https web targets: a different certificate the device presented since, waiting for an admin. */
  webOfferedFingerprint?: string | null;
}

export type WebScheme = 'http' | 'https';

export interface Device {
  id: number;
  name: string;
  description: string | null;
  group: string;
  tags: string[];
  mode: string | null;
  /** How terminal output is displayed: 'utf-8', 'latin-1' or 'cp437'. */
  encoding?: string;
  online: boolean;
  lastSeen: string | null;
  remoteAddress: string | null;
  agentVersion: string | null;
  /** The agent is older than the portal's minimum (TETHER_AGENT_MIN_VERSION); absent from older portals. */
  agentOutdated?: boolean;
  /** The agent of the last tunnel can upgrade itself over it (absent from older portals). */
  agentUpgradable?: boolean;
  targets: DeviceTarget[];
  /** How a raw device dials in; null for agent devices (absent from portals older than raw ingress). */
  ingress?: Ingress | null;
  /** `pending`: self-enrolled, unreachable until an admin approves it (absent from older portals). */
  state?: DeviceState;
  /** The last line a console rule of the device's group matched; null: none (absent from older portals). */
  consoleMatch?: ConsoleMatch | null;
  createdAt: string;
}

export type Severity = 'info' | 'warning' | 'critical';

/** A console rule matched a line a device target printed (docs/api.md "Console rules"). */
export interface ConsoleMatch {
  rule: string;
  severity: Severity;
  target: string;
  /** The line's first 200 characters. */
  line: string;
  /** When the line was read. */
  at: string;
}

export type DeviceState = 'active' | 'pending';

/** `agent`: tether-agent dials out with the device token; `raw`: a device server dials its own ingress port. */
export type DeviceMode = 'agent' | 'raw';

/** The values to enter on a device server, per make, as the portal words them. */
export interface IngressSettings {
  tibbo: string;
  lantronix: string;
  moxa: string;
  generic: string;
}

/** A raw device's ingress: its own TCP port on the portal, admitted by source address only. */
export interface Ingress {
  port: number;
  /** Sources (addresses or CIDRs) that may connect; empty admits nobody. */
  allowCidrs: string[];
  /** Whether the unit must send a connect string first. */
  connectString: boolean;
  /** Always true: plain TCP carries no credentials. */
  unauthenticated: boolean;
  /** The device's group requires a second factor, which this ingress (no user) bypasses. */
  outsideSecondFactorPolicy?: boolean;
  /** The portal host the unit dials (TETHER_PUBLIC_URL's host). */
  host: string;
  settings: IngressSettings;
}

export interface CreatedDevice {
  id: number;
  name: string;
  description: string | null;
  group: string;
  tags: string[];
  mode: string | null;
  online: boolean;
  createdAt: string;
  /** the device token, shown only in this answer; null for raw devices, which have none */
  token: string | null;
  ingress?: Ingress | null;
}

export interface NewDevice {
  name: string;
  description?: string;
  group?: string;
  tags?: string[];
  encoding?: string;
  mode?: DeviceMode;
  /** Raw devices only, and mandatory for them. */
  allowCidrs?: string[];
  /** Raw devices only: 1-64 Latin-1 characters the unit sends first. */
  connectSecret?: string;
}

/** What an admin sets on one target: `default` hands it back to the group's default. */
export type TargetLogSetting = ConsoleLogPolicy | 'default';

/** What PATCH /api/devices/{id} changes; `connectSecret: ""` removes the connect string. */
export type DevicePatch = Partial<Omit<NewDevice, 'mode'>> & {
  /** Per target name; targets not named keep their settings. */
  targets?: Record<string, { log: TargetLogSetting }>;
  /** TCP targets served as web pages; 'off' stops serving one. */
  webTargets?: Record<string, { scheme?: WebScheme | 'off'; acceptCertificate?: boolean }>;
};

/** A TCP port on the portal tied to one device target, for host software that only speaks TCP. */
export interface Link {
  id: number;
  deviceId: number;
  target: string;
  port: number;
  allowCidrs: string[];
  takeOver: boolean;
  /** Whether the portal holds the port open right now. */
  listening: boolean;
  createdAt: string;
  /** The device's group requires a second factor, which this port's connections (no user) bypass. */
  outsideSecondFactorPolicy?: boolean;
}

export interface NewLink {
  target: string;
  /** Mandatory; empty admits nobody. */
  allowCidrs: string[];
  /** Omitted: the first free port of the pool. */
  port?: number;
  takeOver?: boolean;
}

export interface DeviceFilter {
  name?: string;
  tag?: string;
  group?: string;
  online?: boolean;
  /** Only devices that have never connected (GET /api/devices?seen=never). */
  neverSeen?: boolean;
  /** Only devices whose agent is older than the portal's minimum (GET /api/devices?agent=outdated). */
  agentOutdated?: boolean;
}

/** The orders GET /api/devices?sort= knows (without it: by id). */
export type DeviceSort = 'name' | 'status' | 'lastSeen';

/** A node's state in GET /api/nodes; `silent` is live with a heartbeat over 10 s old. */
export type NodeState = 'live' | 'silent' | 'draining' | 'stopped' | 'dead';

/** One node of the portal (GET /api/nodes); url, epoch and lastHeartbeat are null on a single node. */
export interface PortalNode {
  id: string;
  url: string | null;
  epoch: number | null;
  /** A NodeState; typed as string so a state this UI does not know yet still shows. */
  state: string;
  devices: number;
  lastHeartbeat: string | null;
}

export interface User {
  id: number;
  username: string;
  admin: boolean;
  disabled: boolean;
  createdAt: string;
  /** signs in with an active second factor (absent from older portals) */
  secondFactor?: boolean;
  /** may sign in with a password (while the deployment allows passwords) */
  passwordLogin?: boolean;
  /** an admin who signs in with a password even when password sign-in is off */
  breakGlass?: boolean;
  /** `oidc:<provider>` when the admin flag came from that provider's claim */
  adminSource?: string | null;
  /** security keys and passkeys registered (absent from older portals) */
  securityKeys?: number;
}

/** A single sign-on provider the sign-in page offers. */
export interface SsoProvider {
  name: string;
  displayName: string;
  loginUrl: string;
}

export interface Providers {
  items: SsoProvider[];
  /** whether passwords sign in on this deployment (break-glass admins always may) */
  passwordLogin: boolean;
}

/** An identity at a provider, bound to an account by (issuer, subject). */
export interface Identity {
  id: number;
  provider: string;
  displayName: string;
  issuer: string;
  subject: string;
  createdAt: string;
  lastLoginAt: string | null;
}

/** An invitation link, shown once. */
export interface Invitation {
  url: string;
  expiresAt: string;
}

export interface Grant {
  id: number;
  userId: number;
  group: string;
  role: Role;
  /** May replay (and export) the recordings of the group's sessions. */
  replay: boolean;
  /** null: made by an admin; `oidc:<provider>`: from that provider's groups claim */
  source?: string | null;
}

/** What a group's sessions record: nothing, the device's output, or output and keystrokes. */
export type RecordingPolicy = 'off' | 'output' | 'all';

export interface Group {
  id: number;
  name: string;
  /** Absent from portals older than session recording; the portal's default is `output`. */
  recording?: RecordingPolicy;
  /** null: the deployment default (TETHER_RECORDING_RETENTION). */
  retentionDays?: number | null;
  /** With recording `all`: tether-cli may still forward to TCP targets (never recorded). */
  allowUnrecorded?: boolean;
  /** Terminals, forwards and data flows on its devices need a second factor. */
  requireSecondFactor?: boolean;
  /** With a second factor required: days an API token made with one opens terminals after it was made. */
  secondFactorTokenDays?: number;
  /** With a second factor required: asked again before each session when older (minutes); null: never. */
  reauthMinutes?: number | null;
  /** Encoding of a new device of the group that names none (absent from older portals). */
  defaultEncoding?: string;
  /** Tags every new device of the group gets besides its own. */
  defaultTags?: string[];
  /** Console logging of the group's serial targets without their own setting (docs/console-log.md). */
  consoleLog?: ConsoleLogPolicy;
  /** Bytes of console log kept per target. */
  consoleLogMaxBytes?: number;
  /** Days of console log kept. */
  consoleLogDays?: number;
  /** Seconds a device may be away before device.offline; null: TETHER_OFFLINE_GRACE. */
  offlineGraceSeconds?: number | null;
}

/** A target's console logging: kept open and logged always, or never. */
export type ConsoleLogPolicy = 'off' | 'always';

/** One of a group's console rules (admins). */
export interface ConsoleRule {
  id: number;
  name: string;
  /** RE2 syntax. */
  pattern: string;
  severity: Severity;
  cooldownSeconds: number;
  createdAt: string;
}

export interface NewConsoleRule {
  name: string;
  pattern: string;
  severity: Severity;
  cooldownSeconds: number;
}

export interface GroupPatch {
  recording?: RecordingPolicy;
  /** Days recordings are kept. */
  retentionDays?: number;
  /** true: back to the deployment default (TETHER_RECORDING_RETENTION). */
  defaultRetention?: boolean;
  allowUnrecorded?: boolean;
  defaultEncoding?: string;
  /** [] removes them. */
  defaultTags?: string[];
  consoleLog?: ConsoleLogPolicy;
  consoleLogMaxBytes?: number;
  consoleLogDays?: number;
  /** 0-86400 s. */
  offlineGraceSeconds?: number;
  /** true: back to the deployment's TETHER_OFFLINE_GRACE. */
  defaultOfflineGrace?: boolean;
  requireSecondFactor?: boolean;
  /** 1-365 days. */
  secondFactorTokenDays?: number;
  /** 1-1440 minutes. */
  reauthMinutes?: number;
  /** true: never ask again (clears reauthMinutes). */
  noReauth?: boolean;
}

/** One row's problem in a CSV import (docs/api.md "CSV import"). */
export interface ImportProblem {
  /** Data row, from 1; the header row does not count. */
  row: number;
  /** The line of the file the row starts on; the header is line 1. */
  line: number;
  name: string;
  /** The column. */
  field: string | null;
  detail: string;
}

/** A dry run's answer (and a refused import's problem JSON carries the same members). */
export interface ImportCheck {
  rows: number;
  valid: number;
  problems: ImportProblem[];
}

export interface ApiToken {
  id: number;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  /** made from a session signed in with a second factor */
  mfa?: boolean;
}

export interface IssuedToken {
  id: number;
  name: string;
  /** the secret, shown only in this answer */
  token: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  outcome: string;
  subject: string | null;
  deviceId: number | null;
  address: string | null;
  detail: string | null;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  device?: string;
  /** ISO-8601 */
  from?: string;
  /** ISO-8601 */
  to?: string;
}

/** The actions the audit log records (docs/api.md). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.lockout',
  'auth.logout',
  'auth.logout-everywhere',
  'user.password',
  'user.create',
  'user.update',
  'user.delete',
  'grant.create',
  'grant.delete',
  'group.create',
  'token.create',
  'token.revoke',
  'device.create',
  'device.update',
  'device.delete',
  'device.rotate-token',
  'flow.watch',
] as const;

/** The role of one participant of a shared session. */
export type SessionRole = 'controller' | 'observer';

/** One span of one participant in one role (a take-over ends a span and starts another). */
export interface SessionParticipantSpan {
  userId: number;
  username: string;
  role: SessionRole;
  /** How they took part (e.g. "web"); shown as the portal says it. */
  via: string | null;
  joinedAt: string;
  leftAt: string | null;
}

export interface Session {
  id: number;
  device: { id: number; name: string };
  target: string;
  /** `forward`: a tether-cli forward socket's use of a TCP target (absent on older portals). */
  kind?: 'terminal' | 'forward';
  state: 'live' | 'ended';
  startedAt: string;
  endedAt: string | null;
  closeReason: string | null;
  /** Bytes to the device. */
  bytesIn: number;
  /** Bytes from the device. */
  bytesOut: number;
  /** Forward sessions: the channels (forwarded connections) opened. */
  channels?: number;
  recording: { policy: RecordingPolicy; bytes: number; gaps: number } | null;
  participants: SessionParticipantSpan[];
}

export interface SessionFilter {
  /** Live sessions only. */
  live?: boolean;
  /** A device id. */
  device?: number | string;
  /** A username: sessions they took part in. */
  user?: string;
  /** ISO-8601, bounding startedAt. */
  from?: string;
  to?: string;
}

export type RecordingFormat = 'raw' | 'cast' | 'text';

/** What an enrollment token can still do: only `active` ones enroll devices. */
export type EnrollmentTokenState = 'active' | 'expired' | 'used-up' | 'revoked';

/** An enrollment token as GET /api/enrollment-tokens lists it: never its secret. */
export interface EnrollmentToken {
  id: number;
  /** The token's public part ("ten_" and 12 hex digits), to tell tokens apart. */
  prefix: string;
  /** The group enrolled devices join. */
  group: string;
  /** Tags every enrolled device gets. */
  tags: string[];
  /** Enrolled devices are reachable at once, without an approval. */
  autoApprove: boolean;
  /** How many devices it may enroll. */
  uses: number;
  /** How many it has enrolled. */
  used: number;
  description: string | null;
  /** An EnrollmentTokenState; a string so a state this UI does not know yet still shows. */
  state: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface NewEnrollmentToken {
  group: string;
  /** 30m, 12h, 7d or ISO-8601; the portal's default is 24h, at most 30d. */
  expiresIn?: string;
  /** 1-10000; the portal's default is 1. */
  uses?: number;
  tags?: string[];
  autoApprove?: boolean;
  description?: string;
}

export interface IssuedEnrollmentToken {
  id: number;
  /** The secret ("ten_…"), shown only in this answer. */
  token: string;
  view: EnrollmentToken;
}

/** One entry of a console log: a line the device printed, or a marker (logging started, a gap). */
export interface LogItem {
  at: string;
  /** The line, decoded with the device's encoding; null for a marker. */
  text: string | null;
  /** What happened to the log here; null for a line. */
  marker: string | null;
}

/** A page of GET /api/devices/{id}/targets/{target}/log (format=json). */
export interface LogPage {
  device: number;
  target: string;
  encoding: string;
  /** Whether the target is logged now. */
  logging: boolean;
  items: LogItem[];
  /** The cursor of the next (newer) page; null at the end. */
  next: string | null;
}

/** One of the caller's SSH public keys (GET /api/me/ssh-keys). */
export interface SshKey {
  id: number;
  name: string;
  type: string;
  fingerprint: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The SSH front door (GET /api/ssh): off, or its port and the host key to verify. */
export interface SshServer {
  enabled: boolean;
  port: number | null;
  hostKeyType: string | null;
  hostKeyFingerprint: string | null;
}
