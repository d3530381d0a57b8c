-- Security keys and passkeys (WebAuthn) as a second factor beside TOTP (README, "Second factor";
-- docs/api.md). A user has any number; each is what the authenticator gave at registration.
create table webauthn_credentials (
    id               bigint generated always as identity primary key,
    user_id          bigint        not null references users (id) on delete cascade,
    -- the authenticator's credential id (raw bytes, at most 1023 by the spec)
    credential_id    bytea         not null unique,
    -- the credential's public key as the authenticator encoded it (a COSE_Key in CBOR)
    public_key_cose  bytea         not null,
    -- the authenticator model (all zeros with "none" attestation)
    aaguid           uuid          not null,
    -- the signature counter last seen; an assertion must raise it (unless both are 0)
    sign_count       bigint        not null,
    name             varchar(64)   not null,
    -- transports the browser reported ("usb", "internal"…), comma-separated: allowCredentials hints
    transports       varchar(128),
    created_at       timestamptz   not null default now(),
    last_used_at     timestamptz
);
create index webauthn_credentials_of on webauthn_credentials (user_id);

-- Challenges of registrations and sign-ins in flight, kept here so the second request may land on
-- any node. Stored hashed (HMAC keyed with the node secret, as tokens are); each is used once.
create table webauthn_challenges (
    id               bigint generated always as identity primary key,
    user_id          bigint        not null references users (id) on delete cascade,
    -- 'registration' or 'sign-in'
    purpose          varchar(16)   not null,
    challenge_hash   bytea         not null unique,
    -- a sign-in's challenge belongs to its pending sign-in; null for a registration
    pending_login_id bigint        references pending_logins (id) on delete cascade,
    expires_at       timestamptz   not null,
    used_at          timestamptz
);
create index webauthn_challenges_expiry on webauthn_challenges (expires_at);
