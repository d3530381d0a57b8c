-- The TOTP second factor (docs/api.md, "Second factor"): one factor per user, recovery codes,
-- pending second-factor sign-ins, and the policy flags. Wrong codes are counted per account in
-- login_failures, under the address 'second-factor'.

create table user_totp (
    user_id       bigint       primary key references users (id) on delete cascade,
    -- AES-GCM (nonce || ciphertext) of the raw secret under a key derived from the node secret
    secret_sealed bytea        not null,
    -- null until the user confirmed a first code: until then the factor is not active
    confirmed_at  timestamptz,
    -- the last accepted RFC 6238 time step: a code of this step or an earlier one is refused
    last_step     bigint       not null default 0,
    created_at    timestamptz  not null default now()
);

create table recovery_codes (
    id         bigint generated always as identity primary key,
    user_id    bigint       not null references users (id) on delete cascade,
    -- HMAC-SHA-256 keyed with the node secret, as for tokens
    code_hash  bytea        not null,
    used_at    timestamptz
);
create index recovery_codes_of on recovery_codes (user_id) where used_at is null;

-- a password sign-in waiting for its second factor: single use, short-lived, bound to the account
create table pending_logins (
    id          bigint generated always as identity primary key,
    user_id     bigint       not null references users (id) on delete cascade,
    token_hash  bytea        not null unique,
    address     varchar(64),
    expires_at  timestamptz  not null,
    used_at     timestamptz
);
create index pending_logins_expiry on pending_logins (expires_at);

alter table web_sessions add column mfa boolean not null default false;
alter table api_tokens add column mfa boolean not null default false;
alter table device_groups add column require_second_factor boolean not null default false;
