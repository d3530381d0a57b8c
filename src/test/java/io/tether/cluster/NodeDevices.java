package io.tether.cluster;

import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.ClusterFixture;
import io.tether.testing.PortalClient;
import io.tether.testing.Started;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One device held by each node of a cluster: its agent dials that node directly (the issue: "tests
 * that need a device on a given node connect it to that node directly") and offers a TCP echo
 * target {@value #TARGET}.
 */
final class NodeDevices implements AutoCloseable {
  static final String TARGET = "echo";

  /** Agent JVMs starting together on a machine busy with three nodes and a simulated fleet. */
  private static final Duration ONLINE = Duration.ofSeconds(30);

  /** The route is written as the tunnel is welcomed: a moment after the agent says online. */
  private static final Duration ROUTED = Duration.ofSeconds(10);

  private final ClusterFixture cluster;
  private final List<PortalClient.NewDevice> devices = new ArrayList<>();
  private final List<AgentProcess> agents = new ArrayList<>();
  private final Started started = new Started();

  private NodeDevices(ClusterFixture cluster) {
    this.cluster = cluster;
  }

  /** Creates a device per node, starts their agents together, and waits until each is held. */
  static NodeDevices start(ClusterFixture cluster, int echoPort) {
    NodeDevices these = new NodeDevices(cluster);
    try {
      for (int i = 0; i < cluster.size(); i++) {
        PortalClient.NewDevice device = cluster.admin().createDevice();
        these.devices.add(device);
        these.agents.add(
            these.started.add(
                cluster.agentOn(i, device, List.of(TARGET + "=tcp:127.0.0.1:" + echoPort))));
      }
      for (int i = 0; i < cluster.size(); i++) {
        these.agents.get(i).awaitOnline(ONLINE);
        int node = i;
        Await.until(
            "node" + (i + 1) + " holds " + these.devices.get(i).name(),
            ROUTED,
            () -> cluster.nodeId(node).equals(these.nodeOf(node)));
      }
      return these;
    } catch (RuntimeException | Error e) {
      these.close();
      throw e;
    }
  }

  /** The device node {@code i} holds. */
  PortalClient.NewDevice device(int i) {
    return devices.get(i);
  }

  List<AgentProcess> agents() {
    return List.copyOf(agents);
  }

  /** The node holding node {@code i}'s device now ({@code devices.node_id}), "" if offline. */
  String nodeOf(int i) {
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement("select node_id from devices where id = ? and online")) {
      s.setLong(1, devices.get(i).id());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : "";
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The nodes holding a live session ({@code sessions.node_id}) of node {@code i}'s device. */
  List<String> liveSessionNodes(int i) throws SQLException {
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement(
                "select node_id from sessions where device_id = ? and ended_at is null")) {
      s.setLong(1, devices.get(i).id());
      List<String> nodes = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          nodes.add(r.getString(1));
        }
      }
      return nodes;
    }
  }

  @Override
  public void close() {
    started.close();
  }
}
