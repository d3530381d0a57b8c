package io.tether.boot;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes this node's identity (from the data dir) injectable. */
public class NodeIdentityProducer {
  @Produces
  @Singleton
  NodeIdentity nodeIdentity(TetherConfig config) {
    return NodeIdentity.loadOrCreate(config.dataDir());
  }
}
