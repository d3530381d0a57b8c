package io.tether.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} as a balancer reads it. One node: DOWN while its database does not
 * answer. In a cluster: DOWN while this node drains, rejoins or has not renewed its heartbeat for
 * 10 s, so new connections go to the other nodes, but not at a database blip, which would take
 * every node out of the balancer at once.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {
  /** How long the database may take to validate a connection. */
  static final int VALIDATION_SECONDS = 2;

  @Inject Membership membership;
  @Inject DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    if (!membership.enabled()) {
      var response = HealthCheckResponse.named("database");
      return databaseAnswers()
          ? response.up().build()
          : response.down().withData("reason", "the database does not answer").build();
    }
    var response = HealthCheckResponse.named("cluster membership");
    membership.epoch().ifPresent(e -> response.withData("epoch", e));
    return membership
        .notServingBecause()
        .map(why -> response.down().withData("reason", why).build())
        .orElseGet(() -> response.up().build());
  }

  private boolean databaseAnswers() {
    try (Connection db = dataSource.getConnection()) {
      return db.isValid(VALIDATION_SECONDS);
    } catch (SQLException e) {
      return false;
    }
  }
}
