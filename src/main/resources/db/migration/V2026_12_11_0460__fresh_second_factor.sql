-- A group may ask for the second factor again before each session (reauth_minutes: how old it may
-- be). Browser sessions and API tokens remember when theirs was last presented (factor_at): at a
-- sign-in with one, a step-up on the page, or X-Tether-OTP on a token's forward check.
alter table device_groups add column reauth_minutes integer
  check (reauth_minutes between 1 and 1440);
alter table web_sessions add column factor_at timestamptz;
alter table api_tokens add column factor_at timestamptz;
update web_sessions set factor_at = created_at where mfa;
