-- On a group that requires a second factor, API tokens made with one open terminals and forwards
-- for this many days after they were made; null: 30 (AccessPolicy.DEFAULT_SECOND_FACTOR_TOKEN_DAYS).
alter table device_groups add column second_factor_token_days integer
  check (second_factor_token_days between 1 and 365);
