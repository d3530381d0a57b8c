package io.tether.session;

import static io.tether.testing.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every way a session ends raises session.ended once, with why; one whose recording lost bytes or
 * ended it raises session.recording-failed as well. Read from the outbox, kept by an endpoint that
 * takes session.* (it never answers: loopback is refused when sent).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SessionEndEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject SessionRows rows;
  @Inject AgroalDataSource db;

  private List<JsonNode> events(String type, long sessionId) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select cast(data as text) from webhook_outbox where type = ?"
                    + " and (data->>'id')::bigint = ? order by id")) {
      q.setString(1, type);
      q.setLong(2, sessionId);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          out.add(JSON.readTree(r.getString(1)));
        }
      }
    }
    return out;
  }

  @Test
  void aHubsEndWithGapsAndAnAdminsEndOfAnOrphanEachRaiseTheirEvents() throws Exception {
    ApiClient admin = ApiClient.admin();
    long endpoint =
        expect(
                201,
                admin
                    .cookie()
                    .body(Map.of("url", "http://localhost:9/kept", "events", List.of("session.*")))
                    .post("/api/webhooks"),
                "an endpoint that keeps session events in the outbox")
            .jsonPath()
            .getLong("id");
    try {
      long device = Long.parseLong(admin.createDevice(null).id());
      Instant started = Instant.now().minusSeconds(5);
      long gappy = rows.create(device, "console", "all", started, "terminal");
      try (Connection c = db.getConnection()) {
        c.setAutoCommit(false);
        new JournalEntry.Ended(gappy, "device-offline", Instant.now(), 10, 2000, 1500, 2).write(c);
        c.commit();
      }
      long orphan = rows.create(device, "console", "all", started, "terminal");
      assertTrue(rows.endOrphan(orphan, CloseReasons.ENDED_BY_ADMIN));
      assertTrue(!rows.endOrphan(orphan, CloseReasons.ENDED_BY_ADMIN), "a row ends once");

      List<JsonNode> ended = events("session.ended", gappy);
      assertEquals(1, ended.size());
      assertEquals("device-offline", ended.get(0).path("reason").asText());
      List<JsonNode> failed = events("session.recording-failed", gappy);
      assertEquals(1, failed.size(), "the recording lost bytes: " + failed);
      assertEquals(2, failed.get(0).path("recordingGaps").asInt());

      List<JsonNode> orphanEnded = events("session.ended", orphan);
      assertEquals(1, orphanEnded.size(), "once, though asked twice");
      assertEquals(CloseReasons.ENDED_BY_ADMIN, orphanEnded.get(0).path("reason").asText());
      assertEquals(List.of(), events("session.recording-failed", orphan), "no gaps, no failure");
    } finally {
      expect(204, admin.cookie().delete("/api/webhooks/" + endpoint), "cleanup");
    }
  }
}
