-- Cluster mode: sign-in failures, lockouts and the per-address attempt rate live here, shared by
-- every node (kept per process, N nodes would give a password guesser N times the guesses). One
-- node keeps them in memory and never writes these tables.
create table login_failures (
    username      text not null,
    address       varchar(64) not null,
    window_start  timestamptz not null,
    failures      integer not null,
    locked_until  timestamptz,
    primary key (username, address)
);

create table login_attempts (
    address   varchar(64) not null,
    minute    timestamptz not null,
    attempts  integer not null,
    primary key (address, minute)
);
