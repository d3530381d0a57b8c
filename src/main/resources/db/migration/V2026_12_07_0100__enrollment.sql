-- Fleet onboarding (io.tether.enroll): tokens an agent presents once to register its device, and
-- the device state that keeps a self-enrolled device unreachable until an admin approves it.
create table enrollment_tokens (
    id            bigint generated always as identity primary key,
    lookup_id     varchar(32)   not null unique,
    secret_hash   bytea         not null,
    group_id      bigint        not null references device_groups (id),
    tags          varchar(64)[] not null default '{}',
    auto_approve  boolean       not null default false,
    uses_allowed  integer       not null check (uses_allowed > 0),
    uses_count    integer       not null default 0 check (uses_count >= 0),
    description   varchar(256)  not null default '',
    created_by    varchar(64)   not null,
    created_at    timestamptz   not null default now(),
    expires_at    timestamptz   not null,
    revoked_at    timestamptz
);

-- active: reachable as its group's access allows; pending: enrolled, waiting for an admin
alter table devices add column state varchar(16) not null default 'active'
    check (state in ('active', 'pending'));
alter table devices add column enrolled_with bigint references enrollment_tokens (id);
create index devices_pending_idx on devices (id) where state = 'pending' and deleted_at is null;
