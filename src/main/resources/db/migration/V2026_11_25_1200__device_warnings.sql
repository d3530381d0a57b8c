-- A second agent installation on the same token (a cloned SD card) is refused; the device shows
-- a warning with when and from where, instead of flapping between the two.
alter table devices add column duplicate_seen_at timestamptz;
alter table devices add column duplicate_detail varchar(512);
