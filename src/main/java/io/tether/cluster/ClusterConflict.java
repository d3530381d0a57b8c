package io.tether.cluster;

/** A node may not join: a live node holds its id (it raced another start past the boot check). */
final class ClusterConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ClusterConflict(String message) {
    super(message);
  }
}
