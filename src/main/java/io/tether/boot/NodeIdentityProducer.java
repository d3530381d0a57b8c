package io.tether.boot;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes this node's identity (from the data dir, its secret perhaps from its own file) injectable.
 */
public class NodeIdentityProducer {
  @Produces
  @Singleton
  NodeIdentity nodeIdentity(TetherConfig config) {
    return NodeIdentity.loadOrCreate(config.dataDir(), config.secretKeyFile());
  }
}
