-- Raw TCP ingress: devices without an agent (mode 'raw'), reached through a device server that
-- dials its own port on the portal in TCP-client mode. Plain TCP carries no credentials: the
-- source allowlist is mandatory (empty admits nobody); an optional connect string is checked.

alter table devices
    add column ingress_port          integer unique check (ingress_port between 1 and 65535),
    add column allow_cidrs           varchar(64)[] not null default '{}',
    add column connect_secret_hash   bytea,
    add column connect_secret_length integer,
    add constraint devices_mode_check check (mode in ('agent', 'raw')),
    add constraint devices_raw_port_check check (mode <> 'raw' or ingress_port is not null);
