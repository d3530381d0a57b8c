-- Per-group defaults a new device takes when it is created in the group (by an admin, a CSV import
-- or self-enrollment): its display encoding (null: utf-8) and tags added to its own. The group's
-- recording policy already applies to its devices' sessions, so it needs no default here.
alter table device_groups
    add column default_encoding varchar(16)
        check (default_encoding is null or default_encoding in ('utf-8', 'latin-1', 'cp437')),
    add column default_tags     varchar(64)[] not null default '{}';
