-- Single sign-on with OpenID Connect (README "Single sign-on", docs/api.md "Single sign-on").

-- an identity at a provider, bound to one account by (issuer, subject) only: never by e-mail or name
create table user_identities (
    id            bigint generated always as identity primary key,
    user_id       bigint        not null references users (id) on delete cascade,
    provider      varchar(32)   not null,
    issuer        varchar(512)  not null,
    subject       varchar(255)  not null,
    created_at    timestamptz   not null default now(),
    last_login_at timestamptz,
    unique (issuer, subject)
);
create index user_identities_of on user_identities (user_id);

-- a sign-in at a provider in progress: state, nonce and PKCE verifier, single use and short-lived,
-- in the database so that the callback may land on any node of a cluster
create table oidc_flows (
    id            bigint generated always as identity primary key,
    state_hash    bytea         not null unique,
    -- hash of the random value of the browser's flow cookie: the callback must come from the
    -- browser that started the flow
    browser_hash  bytea         not null,
    provider      varchar(32)   not null,
    nonce         varchar(64)   not null,
    code_verifier varchar(128)  not null,
    -- a signed-in user linking an identity to their own account
    link_user_id  bigint        references users (id) on delete cascade,
    invitation_id bigint,
    expires_at    timestamptz   not null,
    used_at       timestamptz
);
create index oidc_flows_expiry on oidc_flows (expires_at);

-- an admin's invitation: whose first SSO sign-in binds the identity to this account
create table sso_invitations (
    id          bigint generated always as identity primary key,
    user_id     bigint        not null references users (id) on delete cascade,
    token_hash  bytea         not null unique,
    created_by  varchar(64)   not null,
    created_at  timestamptz   not null default now(),
    expires_at  timestamptz   not null,
    used_at     timestamptz
);

-- null: made by an admin; 'oidc:<provider>': kept in step with that provider's groups claim
alter table grants add column source varchar(48);
-- who may sign in with a password: password_login per user; break_glass admins always may
alter table users add column password_login boolean not null default true;
alter table users add column break_glass boolean not null default false;
-- 'oidc:<provider>' when the admin flag came from that provider's claim (and goes with it)
alter table users add column admin_source varchar(48);
-- the first step of a pending sign-in when it was not a password: 'oidc:<provider>'
alter table pending_logins add column method varchar(48);
