-- Browser sign-in of the tether command line (docs/api.md, "Command-line sign-in"): a signed-in
-- browser allows it and gets a single-use exchange code; the CLI trades the code and its PKCE
-- verifier for an API token. Kept in PostgreSQL so that the two steps may land on any node.
create table cli_logins (
    id          bigint generated always as identity primary key,
    user_id     bigint        not null references users (id) on delete cascade,
    -- HMAC-SHA-256 of the code keyed with the node secret, as for tokens
    code_hash   bytea         not null unique,
    -- RFC 7636 S256 challenge: BASE64URL(SHA-256(verifier)), 43 characters
    challenge   varchar(64)   not null,
    -- the name of the API token the exchange creates (cli@HOST)
    name        varchar(64)   not null,
    ttl_days    integer       not null,
    -- the browser session that allowed it, and whether that session passed a second factor
    session_id  bigint        not null,
    mfa         boolean       not null,
    address     varchar(64),
    created_at  timestamptz   not null default now(),
    expires_at  timestamptz   not null,
    used_at     timestamptz
);
create index cli_logins_expiry on cli_logins (expires_at);
