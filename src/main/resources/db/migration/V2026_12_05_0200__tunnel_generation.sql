-- Cluster mode: a tunnel's generation (which of two routes of a device is newer) comes from this
-- sequence, shared by every node, never from a node's clock. A node joining the cluster raises it
-- above every generation already written (one node seeds generations from its clock).
create sequence tunnel_generation;
