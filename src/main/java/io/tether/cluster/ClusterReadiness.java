package io.tether.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} as a balancer reads it: DOWN while this node drains, rejoins or has not
 * renewed its heartbeat, so new connections go to the other nodes. Always UP with one node.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {
  @Inject Membership membership;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("cluster membership");
    membership.epoch().ifPresent(e -> response.withData("epoch", e));
    return membership
        .notServingBecause()
        .map(why -> response.down().withData("reason", why).build())
        .orElseGet(() -> response.up().build());
  }
}
