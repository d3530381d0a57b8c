-- Sessions become shared and recorded: participant spans (who, which role, when), recording chunks,
-- a recording policy and retention per device group, and a replay right per grant.

alter table sessions
    add column recording       varchar(8) not null default 'off'
        check (recording in ('off', 'output', 'all')),
    add column recording_bytes bigint     not null default 0,
    add column recording_gaps  integer    not null default 0,
    add constraint sessions_state_check check (state in ('live', 'ended'));
create index sessions_started_idx on sessions (started_at desc);

-- one row per participant per role: a take-over ends one span and starts another
create table session_participants (
    session_id bigint      not null references sessions (id) on delete cascade,
    seq        integer     not null,
    user_id    bigint,
    username   varchar(64) not null,
    role       varchar(16) not null check (role in ('controller', 'observer')),
    via        varchar(16) not null,
    joined_at  timestamptz not null,
    left_at    timestamptz,
    primary key (session_id, seq)
);
create index session_participants_user_idx on session_participants (user_id);

-- raw bytes with direction and time (io.tether.recording.RecordingFormat), flushed at least
-- every TETHER_RECORDING_FLUSH
create table recording_chunks (
    session_id   bigint  not null references sessions (id) on delete cascade,
    seq          integer not null,
    first_micros bigint  not null,
    data         bytea   not null,
    primary key (session_id, seq)
);

alter table device_groups
    add column recording      varchar(8) not null default 'output'
        check (recording in ('off', 'output', 'all')),
    add column retention_days integer check (retention_days is null or retention_days > 0);

alter table grants
    add column replay boolean not null default false;
