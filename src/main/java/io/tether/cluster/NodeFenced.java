package io.tether.cluster;

/**
 * Fired (synchronously, on the membership thread) when this node learns that another declared it
 * dead while it was frozen or cut off from the database: whatever it still holds must end, since
 * its devices and sessions may already live on another node. It rejoins under a new epoch after.
 */
public record NodeFenced(String nodeId, long oldEpoch) {
  /** The close reason of everything a fenced node ends. */
  public static final String REASON = "node-lost";
}
