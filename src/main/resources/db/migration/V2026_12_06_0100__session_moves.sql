-- A terminal session on a serial target outlives the node that held it: when that node drains, the
-- session is 'moving' until resume_until, and the node its device reconnects to claims the row and
-- goes on recording into it (docs/cluster.md "Drain"). resume_controller is the user who had
-- control, who gets it back on return; moved_at is when the old node let go.
alter table sessions
    drop constraint sessions_state_check,
    add constraint sessions_state_check check (state in ('live', 'moving', 'ended')),
    add column moved_at          timestamptz,
    add column resume_until      timestamptz,
    add column resume_controller bigint;
create index sessions_moving_idx on sessions (device_id, target) where state = 'moving';
