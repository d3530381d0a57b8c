-- The device-web expiry chore (every minute, on every node) looks for open sessions past their end:
-- an index over just those keeps it from reading the whole history each time.
create index device_web_sessions_open_expiry on device_web_sessions (expires_at) where ended_at is null;
