-- Cluster membership (TETHER_NODE_URL set): one row per node id, kept after the node stops so
-- the admin page can say when it left. The epoch is new at every start and every rejoin and comes
-- from a sequence (never a node's clock); a node whose epoch moved on was declared dead and must
-- rejoin before it writes anything. Heartbeats are compared with the database's now() only.
create table portal_node (
    id           varchar(64) primary key,
    url          varchar(512) not null,
    epoch        bigint not null,
    fingerprint  varchar(64) not null,
    state        varchar(16) not null default 'live'
                 check (state in ('live', 'draining', 'stopped', 'dead')),
    started_at   timestamptz not null default now(),
    heartbeat    timestamptz not null default now()
);

create sequence portal_node_epoch;
