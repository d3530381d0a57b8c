-- How each browser session was signed in, for the user's list of their sign-ins (docs/api.md
-- "Your sign-ins"): "password", "oidc:<provider>" or "ssh" (an SSH password sign-in). Null for
-- sessions made before this column.
alter table web_sessions add column method varchar(64);
