-- Access control and credentials: grants of roles on device groups, API tokens, browser sessions.

create table grants (
    id         bigint generated always as identity primary key,
    user_id    bigint      not null references users (id) on delete cascade,
    group_id   bigint      not null references device_groups (id) on delete cascade,
    role       varchar(16) not null check (role in ('viewer', 'operator')),
    created_at timestamptz not null default now(),
    unique (user_id, group_id)
);

create table api_tokens (
    id           bigint generated always as identity primary key,
    user_id      bigint      not null references users (id) on delete cascade,
    name         varchar(64) not null,
    lookup_id    varchar(32) not null unique,
    secret_hash  bytea       not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

-- Browser sessions: the cookie holds a random id; only its hash is stored.
create table web_sessions (
    id           bigint generated always as identity primary key,
    user_id      bigint      not null references users (id) on delete cascade,
    id_hash      bytea       not null unique,
    csrf_token   varchar(64) not null,
    address      varchar(64),
    created_at   timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at   timestamptz not null,
    revoked_at   timestamptz
);
create index web_sessions_user_idx on web_sessions (user_id);
