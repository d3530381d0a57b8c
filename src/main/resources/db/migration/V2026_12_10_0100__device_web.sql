-- Device web (issue #21): TCP targets an admin marked as web pages, each served on a host name
-- of its own, d-<label>.<TETHER_WEB_DOMAIN>. The label is 128 random bits, fixed per (device,
-- target) and never reused: the row stays when the target stops being web (scheme null).
create table device_web_targets (
    id             bigint generated always as identity primary key,
    device_id      bigint      not null references devices (id),
    target         varchar(64) not null,
    scheme         varchar(8),
    host_label     varchar(32) not null unique,
    pinned_sha256  varchar(64),
    offered_sha256 varchar(64),
    created_at     timestamptz not null default now(),
    unique (device_id, target)
);

-- A launch URL: single use, 60 s, bound to the user and the browser session that asked for it.
create table device_web_launches (
    id_hash        bytea       primary key,
    web_target_id  bigint      not null references device_web_targets (id),
    user_id        bigint      not null references users (id) on delete cascade,
    web_session_id bigint      not null references web_sessions (id) on delete cascade,
    expires_at     timestamptz not null,
    used_at        timestamptz
);

-- A device-web session: the cookie on the device's origin holds a random id; only its hash is
-- stored. It never outlives the browser session it was launched from.
create table device_web_sessions (
    id             bigint generated always as identity primary key,
    id_hash        bytea       not null unique,
    web_target_id  bigint      not null references device_web_targets (id),
    user_id        bigint      not null references users (id) on delete cascade,
    web_session_id bigint      not null references web_sessions (id) on delete cascade,
    address        varchar(64),
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null,
    ended_at       timestamptz,
    end_reason     varchar(64),
    bytes_up       bigint      not null default 0,
    bytes_down     bigint      not null default 0
);
create index device_web_sessions_user_idx on device_web_sessions (user_id) where ended_at is null;
create index device_web_sessions_web_session_idx on device_web_sessions (web_session_id);
