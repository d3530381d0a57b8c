-- Users' SSH public keys for the SSH front door (docs/ssh.md). A key belongs to one user: its
-- fingerprint (SHA256:…, as ssh-keygen -l prints it) is unique across all users, so a key that
-- signs in names its user.

create table ssh_keys (
    id           bigint generated always as identity primary key,
    user_id      bigint       not null references users (id) on delete cascade,
    name         varchar(64)  not null,
    public_key   varchar(8192) not null,
    fingerprint  varchar(100) not null,
    created_at   timestamptz  not null default now(),
    last_used_at timestamptz,
    constraint ssh_keys_fingerprint_key unique (fingerprint)
);
create index ssh_keys_user_idx on ssh_keys (user_id);
