package io.tether.device;

import static io.tether.testing.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The duplicate-agent warning names the agents' instance ids to admins only. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class DuplicateWarningTest {
  private static final String HOLDER = "holder-instance-5f3a";
  private static final String CLONE = "clone-instance-9c1e";

  @Inject DataSource dataSource;

  @Test
  void theConnectedAgentsInstanceIdIsShownToAdminsOnly() throws Exception {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    ApiClient.NewDevice device = admin.createDevice(group);
    ApiClient.NewUser u = admin.createUser();
    admin.grant(u.id(), group, "viewer");
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "update devices set duplicate_seen_at = now(), duplicate_detail = ? where id = ?")) {
      // the detail as the tunnel hub writes it
      s.setString(
          1,
          "another agent installation (instance "
              + CLONE
              + " from 192.0.2.9) tried to connect while "
              + HOLDER
              + " is connected");
      s.setLong(2, Long.parseLong(device.id()));
      s.executeUpdate();
    }

    List<String> viewerSees = warnings(ApiClient.signIn(u), device);
    assertEquals(1, viewerSees.size(), "a viewer is still warned: " + viewerSees);
    assertTrue(viewerSees.get(0).startsWith("duplicate-agent"), viewerSees.toString());
    assertFalse(
        viewerSees.get(0).contains(HOLDER) || viewerSees.get(0).contains(CLONE),
        "a viewer sees an agent's instance id: " + viewerSees);

    List<String> adminSees = warnings(admin, device);
    assertTrue(
        adminSees.size() == 1 && adminSees.get(0).contains(HOLDER),
        "an admin sees the connected agent's instance id: " + adminSees);
  }

  private static List<String> warnings(ApiClient client, ApiClient.NewDevice device) {
    List<String> fromOne =
        expect(200, client.cookie().get("/api/devices/" + device.id()), "GET the device")
            .jsonPath()
            .getList("warnings", String.class);
    List<String> fromList =
        expect(
                200,
                client.cookie().queryParam("name", device.name()).get("/api/devices"),
                "GET /api/devices?name=")
            .jsonPath()
            .getList("items.find { it.id == " + device.id() + " }.warnings", String.class);
    assertEquals(fromOne, fromList, "the list and the device answer the same warnings");
    return fromOne;
  }
}
