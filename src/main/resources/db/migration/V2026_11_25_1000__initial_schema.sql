-- Tether's first schema: users, device groups, devices, device credentials, sessions, audit.
-- Applied migrations are never edited; later changes are new, timestamp-versioned files.

create table users (
    id                  bigint generated always as identity primary key,
    username            varchar(64)  not null,
    password_hash       varchar(200) not null,
    admin               boolean      not null default false,
    disabled            boolean      not null default false,
    created_at          timestamptz  not null default now(),
    password_changed_at timestamptz  not null default now()
);
create unique index users_username_key on users (lower(username));

create table device_groups (
    id         bigint generated always as identity primary key,
    name       varchar(64) not null unique,
    created_at timestamptz not null default now()
);
insert into device_groups (name) values ('default');

create table devices (
    id              bigint generated always as identity primary key,
    name            varchar(64)   not null,
    description     varchar(1024) not null default '',
    group_id        bigint        not null references device_groups (id),
    tags            varchar(64)[] not null default '{}',
    mode            varchar(16)   not null default 'agent',
    -- presence, mirrored from the in-memory tunnel registry of the node that holds the tunnel
    online          boolean       not null default false,
    node_id         varchar(64),
    connection_gen  bigint        not null default 0,
    last_seen       timestamptz,
    remote_address  varchar(128),
    agent_version   varchar(64),
    agent_instance  varchar(128),
    targets         jsonb         not null default '[]',
    created_at      timestamptz   not null default now(),
    deleted_at      timestamptz
);
-- names are unique among live devices; a deleted device's name can be reused
create unique index devices_name_live_key on devices (lower(name)) where deleted_at is null;
create index devices_node_online_idx on devices (node_id) where online;

create table device_credentials (
    id          bigint generated always as identity primary key,
    device_id   bigint      not null references devices (id),
    lookup_id   varchar(32) not null unique,
    secret_hash bytea       not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index device_credentials_device_idx on device_credentials (device_id);

create table sessions (
    id           bigint generated always as identity primary key,
    device_id    bigint      not null references devices (id),
    target       varchar(32) not null,
    state        varchar(16) not null,
    node_id      varchar(64),
    started_at   timestamptz not null default now(),
    ended_at     timestamptz,
    close_reason varchar(64),
    bytes_in     bigint      not null default 0,
    bytes_out    bigint      not null default 0
);
create index sessions_device_idx on sessions (device_id, started_at desc);
create index sessions_live_idx on sessions (node_id) where ended_at is null;

create table audit_events (
    id          bigint generated always as identity primary key,
    at          timestamptz  not null default now(),
    actor       varchar(128) not null,
    actor_id    bigint,
    action      varchar(64)  not null,
    outcome     varchar(16)  not null,
    subject     varchar(256),
    device_id   bigint,
    address     varchar(64),
    detail      text
);
create index audit_events_at_idx on audit_events (at desc);
create index audit_events_actor_idx on audit_events (actor_id, at desc);
create index audit_events_device_idx on audit_events (device_id, at desc);
