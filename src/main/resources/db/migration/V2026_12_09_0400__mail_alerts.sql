-- E-mail alerts (docs/alerts.md): users' addresses, what each subscribes to, and the alerts
-- waiting to be mailed (one mail, or a digest when several arrive within the window).

-- an address set by an admin is confirmed at once; one a user sets waits for its link
create table user_emails (
    user_id       bigint        primary key references users (id) on delete cascade,
    email         varchar(254)  not null,
    confirmed_at  timestamptz,
    -- SHA-256 of the single-use confirmation secret (256 random bits), while one is open
    confirm_hash  bytea,
    confirm_until timestamptz
);
create unique index user_emails_confirm on user_emails (confirm_hash) where confirm_hash is not null;

-- a user's alerts: an event kind on one group, or on every group they can see (group_id null)
create table alert_subscriptions (
    id         bigint generated always as identity primary key,
    user_id    bigint      not null references users (id) on delete cascade,
    group_id   bigint      references device_groups (id) on delete cascade,
    event      varchar(32) not null check (event in ('device.offline', 'session.started', 'console.match')),
    created_at timestamptz not null default now()
);
create unique index alert_subscriptions_once
    on alert_subscriptions (user_id, coalesce(group_id, 0), event);

-- alerts taken from the event outbox for a subscriber, copied (the outbox keeps only what a
-- webhook takes); the mail is built from them, the user's rights checked again at that time
create table alert_pending (
    id         bigint generated always as identity primary key,
    user_id    bigint      not null references users (id) on delete cascade,
    event      varchar(32) not null,
    group_id   bigint,
    device_id  bigint,
    at         timestamptz not null,
    data       jsonb       not null
);
create index alert_pending_of on alert_pending (user_id, id);

-- per user: when the last alert mail went out (a digest waits for the window after it), and the
-- failed attempts at the current one (after the last the alerts are dropped: no stuck queue)
create table alert_mail_state (
    user_id      bigint      primary key references users (id) on delete cascade,
    last_sent_at timestamptz,
    failures     int         not null default 0,
    retry_at     timestamptz
);

-- the portal's mail as a whole, for the admin page: the last mail sent, the last error
create table mail_status (
    id            int          primary key check (id = 1),
    last_sent_at  timestamptz,
    last_error    varchar(512),
    last_error_at timestamptz
);
insert into mail_status (id) values (1);
