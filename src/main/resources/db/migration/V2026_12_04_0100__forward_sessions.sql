-- tether-cli forwards to TCP targets get session rows too: one per forward socket and target,
-- never recorded, with the number of channels it opened. Shared sessions (browsers, link clients,
-- serial forwards) are kind 'terminal'.
alter table sessions
    add column kind     varchar(16) not null default 'terminal'
        check (kind in ('terminal', 'forward')),
    add column channels integer     not null default 0 check (channels >= 0);
