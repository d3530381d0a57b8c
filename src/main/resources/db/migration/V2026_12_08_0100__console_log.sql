-- Console logging (docs/console-log.md): a target whose policy is "always" is kept open by the node
-- holding its device's tunnel, and every byte the device prints is stored here in chunks.

-- Per-target settings an admin chose, by target name: {"console": {"log": "always"}}. A target
-- without one takes its group's default (serial targets only).
alter table devices
    add column target_settings jsonb not null default '{}';

alter table device_groups
    add column console_log          varchar(8) not null default 'off'
        check (console_log in ('off', 'always')),
    -- null: the defaults (64 MiB and 30 days per target)
    add column console_log_max_bytes bigint check (console_log_max_bytes is null or console_log_max_bytes >= 65536),
    add column console_log_days      integer check (console_log_days is null or console_log_days between 1 and 36500);

-- One chunk of a target's output, or a marker (data null): where logging started, stopped or lost
-- bytes. "dropped" counts bytes the device printed before this chunk that were not stored (the log
-- store could not keep up); "at" is when the chunk's first byte was read, "until" its last.
create table console_log_chunks (
    id        bigserial   primary key,
    device_id bigint      not null references devices (id) on delete cascade,
    target    varchar(64) not null,
    at        timestamptz not null,
    until     timestamptz not null,
    data      bytea,
    size      integer     not null default 0,
    dropped   bigint      not null default 0,
    note      varchar(200)
);

create index console_log_chunks_by_target on console_log_chunks (device_id, target, id);
create index console_log_chunks_by_time on console_log_chunks (device_id, target, at);
