-- Offline grace and storms (docs/webhooks.md, "Offline grace and storms"): a device's drop waits
-- here for its grace before it becomes device.offline; a node's restart or loss parks its devices
-- here as one batch, reported once as node.devices-missing. A device back in time deletes its row.
-- Every node's dispatcher reads the table, one at a time (an advisory lock): nothing is lost or
-- doubled when the node that saw the drop stops or dies.

-- per group: seconds of grace; null: TETHER_OFFLINE_GRACE
alter table device_groups
    add column offline_grace_seconds integer
        check (offline_grace_seconds is null or offline_grace_seconds between 0 and 86400);

create table pending_offline (
    device_id   bigint primary key references devices (id) on delete cascade,
    dropped_at  timestamptz  not null,
    due_at      timestamptz  not null,
    -- null: one device's drop (device.offline when due); 'restart' or 'node-down': a batch of the
    -- node below, reported together when its first row is due
    cause       varchar(16)  check (cause is null or cause in ('restart', 'node-down')),
    node_id     varchar(64)
);
create index pending_offline_due on pending_offline (due_at);

-- drops of the last hour, for device.flapping; the device's flag says an event was raised
create table device_drops (
    device_id   bigint       not null references devices (id) on delete cascade,
    at          timestamptz  not null
);
create index device_drops_of on device_drops (device_id, at);
alter table devices add column flapping boolean not null default false;

-- failed or refused sign-ins per account and per address in 10-second buckets (auth.login-failed-burst)
create table login_failure_buckets (
    kind      varchar(8)   not null check (kind in ('account', 'address')),
    key       varchar(256) not null,
    bucket    timestamptz  not null,
    failures  integer      not null,
    primary key (kind, key, bucket)
);

-- a burst under way: it ends when its key has had no failure for the window
create table login_bursts (
    kind             varchar(8)   not null,
    key              varchar(256) not null,
    started_at       timestamptz  not null,
    last_failure_at  timestamptz  not null,
    primary key (kind, key)
);
