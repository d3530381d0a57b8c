-- Since when an endpoint's attempts have failed without one success in between; an endpoint
-- failing for 3 days is disabled (docs/webhooks.md).
alter table webhooks add column failing_since timestamptz;
