-- A group that records everything refuses tether-cli forwards to TCP targets (their bytes are not
-- recorded) unless an admin allows unrecorded forwards on it.
alter table device_groups
    add column allow_unrecorded boolean not null default false;
