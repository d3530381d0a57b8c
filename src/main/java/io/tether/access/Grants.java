package io.tether.access;

import java.util.List;

/**
 * Where the access policy reads a user's grants: kept by the user feature, read fresh on every
 * question so a removed grant takes effect at once.
 */
public interface Grants {
  /** One grant: a role (its wire name) on a device group, and whether it includes replay. */
  record GroupGrant(long groupId, String role, boolean replay) {}

  /** The user's grants, oldest first. */
  List<GroupGrant> ofUser(long userId);
}
