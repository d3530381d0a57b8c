-- The notifications view (docs/alerts.md): recent alerts for the groups a user can see, and how far
-- each user has read. Events without a group (a node down, an endpoint disabled) are for admins.
create table notifications (
    id         bigint generated always as identity primary key,
    type       varchar(64) not null,
    group_id   bigint,
    device_id  bigint,
    at         timestamptz not null,
    data       jsonb       not null
);
create index notifications_group on notifications (group_id, id desc);
create index notifications_at on notifications (at);

create table notification_reads (
    user_id      bigint primary key references users (id) on delete cascade,
    last_read_id bigint not null
);
