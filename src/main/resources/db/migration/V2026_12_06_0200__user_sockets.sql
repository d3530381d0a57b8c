-- The socket quota across a cluster (io.tether.cluster.SharedSockets): each node's count of every
-- user's live sockets per kind; the live nodes' rows together are the user's total.
create table user_sockets (
    node_id varchar(64) not null,
    user_id bigint      not null,
    kind    varchar(16) not null,
    held    integer     not null check (held >= 0),
    primary key (node_id, user_id, kind)
);
create index user_sockets_user_idx on user_sockets (user_id, kind);
