-- Console rules (docs/console-log.md "Rules"): per group, a regular expression (RE2 syntax) matched
-- against the decoded lines its devices' consoles print; a match raises console.match.
create table console_rules (
    id               bigint generated always as identity primary key,
    group_id         bigint       not null references device_groups (id) on delete cascade,
    name             varchar(64)  not null,
    pattern          varchar(512) not null,
    severity         varchar(8)   not null check (severity in ('info', 'warning', 'critical')),
    cooldown_seconds integer      not null check (cooldown_seconds between 0 and 86400),
    created_at       timestamptz  not null
);

-- a rule's name is what the badge and the audit show: unique within its group
create unique index console_rules_group_name on console_rules (group_id, name);

-- The device's last console.match: the fleet page's badge, until the next match replaces it.
alter table devices
    add column console_match_rule     varchar(64),
    add column console_match_severity varchar(8),
    add column console_match_target   varchar(32),
    add column console_match_line     varchar(200),
    add column console_match_at       timestamptz;
