package io.tether.user;

import io.tether.access.Grants;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The grants the access policy reads, from the grant table. */
@ApplicationScoped
public class UserGrants implements Grants {
  @Override
  public List<Grants.GroupGrant> ofUser(long userId) {
    return Grant.ofUser(userId).stream()
        .map(g -> new Grants.GroupGrant(g.group.id, g.role, g.replay))
        .toList();
  }
}
