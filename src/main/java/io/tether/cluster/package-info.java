/**
 * Several portal nodes on one PostgreSQL (on when {@code TETHER_NODE_URL} is set): membership,
 * heartbeats and fencing in the {@code portal_node} table, judged with the database's clock. The
 * rest of the portal learns of this node's state through {@link io.tether.cluster.Membership} and
 * the {@link io.tether.cluster.NodeFenced} event; nothing here reaches into tunnels or sessions.
 */
package io.tether.cluster;
