-- Agent upgrades asked on any node of a cluster (docs/cluster.md "Agent upgrades").

-- The node holding the tunnel sends the UPGRADE and marks it here; null: not sent yet (a node
-- holding the device's tunnel claims it with a conditional update and sends it).
alter table agent_upgrades add column sent_at timestamptz;
alter table agent_upgrades add column sent_by varchar(64);

-- How the tunnel the UPGRADE was sent on closed ("1001 restarting for an upgrade to V", "1006"):
-- what the outcome of an agent that comes back on its old version says.
alter table agent_upgrades add column tunnel_closed varchar(300);

-- upgrades under way from before this migration were sent when they were asked for
update agent_upgrades set sent_at = requested_at where outcome is null;
