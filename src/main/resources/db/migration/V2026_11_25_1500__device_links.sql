-- Link ports: a TCP port on the portal tied to one device target (LinkServer's "link"), restored
-- at every start. The source allowlist is mandatory: an empty list admits nobody.

create table device_links (
    id          bigint generated always as identity primary key,
    device_id   bigint       not null references devices (id) on delete cascade,
    target      varchar(32)  not null,
    port        integer      not null unique check (port between 1 and 65535),
    allow_cidrs varchar(64)[] not null,
    take_over   boolean      not null default false,
    created_at  timestamptz  not null default now()
);
create index device_links_device_idx on device_links (device_id);
