-- Agent upgrades over the tunnel (docs/protocol.md section 15, docs/api.md "Agent upgrades").

-- The agent of the device's last tunnel said it understands UPGRADE (X-Tether-Agent-Capabilities).
alter table devices add column agent_upgradable boolean not null default false;

-- One row per upgrade asked for; outcome stays null while it is under way.
create table agent_upgrades (
    id            bigint generated always as identity primary key,
    device_id     bigint        not null references devices (id),
    requested_by  varchar(128)  not null,
    from_version  varchar(64),
    to_version    varchar(64)   not null,
    requested_at  timestamptz   not null,
    finished_at   timestamptz,
    outcome       varchar(16)   check (outcome in ('ok', 'failed')),
    detail        varchar(1024) not null default ''
);

-- at most one upgrade under way per device, on every node of a cluster
create unique index agent_upgrades_one_open on agent_upgrades (device_id) where outcome is null;
create index agent_upgrades_by_device on agent_upgrades (device_id, id desc);
