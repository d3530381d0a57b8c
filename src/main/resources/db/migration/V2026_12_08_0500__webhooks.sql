-- Signed webhooks (docs/webhooks.md): an outbox of events written with the change that caused
-- them, the endpoints, one delivery per (event, endpoint), and every attempt of each delivery.

-- a per-device counter, so a receiver can order one device's events and see a gap
alter table devices add column event_seq bigint not null default 0;

create table webhook_outbox (
    id          bigint generated always as identity primary key,
    -- the webhook-id every delivery of this event carries (receivers deduplicate on it)
    message_id  varchar(40)  not null default ('msg_' || md5(random()::text || clock_timestamp()::text)),
    type        varchar(96)  not null,
    at          timestamptz  not null default now(),
    device_id   bigint,
    group_id    bigint,
    data        jsonb        not null,
    fanned_at   timestamptz
);
create index webhook_outbox_unfanned on webhook_outbox (id) where fanned_at is null;

create table webhooks (
    id                  bigint generated always as identity primary key,
    url                 varchar(2048) not null,
    events              varchar(96)[] not null,
    group_ids           bigint[]      not null default '{}',
    enabled             boolean       not null default true,
    -- AES-GCM (nonce || ciphertext) under a key derived from the node secret; never shown again
    secret_sealed       bytea         not null,
    old_secret_sealed   bytea,
    old_secret_until    timestamptz,
    disabled_reason     varchar(256),
    created_at          timestamptz   not null default now()
);

create table webhook_deliveries (
    id            bigint generated always as identity primary key,
    webhook_id    bigint       not null references webhooks (id) on delete cascade,
    outbox_id     bigint       not null references webhook_outbox (id) on delete cascade,
    -- pending (due at next_at), delivered, failed (retries exhausted)
    state         varchar(16)  not null default 'pending',
    attempts      int          not null default 0,
    next_at       timestamptz  not null default now(),
    created_at    timestamptz  not null default now(),
    unique (webhook_id, outbox_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_at) where state = 'pending';
create index webhook_deliveries_of on webhook_deliveries (webhook_id, id desc);

create table webhook_attempts (
    id            bigint generated always as identity primary key,
    delivery_id   bigint        not null references webhook_deliveries (id) on delete cascade,
    at            timestamptz   not null default now(),
    status        int,
    duration_ms   int           not null,
    error         varchar(512),
    response      varchar(1024)
);
create index webhook_attempts_of on webhook_attempts (delivery_id, id);
