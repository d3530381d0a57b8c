package io.tether.oidc;

import io.tether.access.AccessChanged;
import io.tether.access.Role;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.boot.OidcProviderSettings;
import io.tether.device.DeviceGroup;
import io.tether.user.Grant;
import io.tether.user.UserAccount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a user's grants from a provider in step with its groups claim at each sign-in: a value
 * {@code GROUP} grants viewer on that device group, {@code GROUP:operator} operator (values naming
 * no group are ignored). Only grants marked {@code oidc:<provider>} are added or removed, never one
 * an admin made; a removal closes live sessions through {@link AccessChanged}. The admin flag
 * follows the claim value the provider's {@code _ADMIN_GROUP} names, if any.
 */
@ApplicationScoped
public class GroupClaims {
  @Inject AuditLog audit;
  @Inject Event<AccessChanged> accessChanged;

  /** Applies the claim's values (in the caller's transaction). */
  void apply(UserAccount user, OidcProviderSettings provider, List<String> values, String address) {
    String source = "oidc:" + provider.name();
    if (provider.groupsClaim().isPresent()) {
      grants(user, source, wanted(values), address);
    }
    provider.adminGroup().ifPresent(a -> admin(user, source, values.contains(a), address));
  }

  /**
   * Values read from a groups claim: directories send a few hundred at most (Entra caps its claim
   * at 200); a provider sending more does not get a query per value.
   */
  static final int MAX_VALUES = 1000;

  /** Group id → role wanted by the claim; the higher role when a group is named twice. */
  static Map<Long, Role> wanted(List<String> values) {
    Map<Long, Role> wanted = new HashMap<>();
    for (String value : values.subList(0, Math.min(values.size(), MAX_VALUES))) {
      if (value.length() > 200) {
        continue; // no group name is this long
      }
      int colon = value.lastIndexOf(':');
      String name = colon < 0 ? value : value.substring(0, colon);
      Optional<Role> role =
          colon < 0 ? Optional.of(Role.VIEWER) : Role.parse(value.substring(colon + 1));
      Optional<DeviceGroup> group = DeviceGroup.find("name", name).firstResultOptional();
      if (role.isPresent() && group.isPresent()) {
        wanted.merge(group.get().id, role.get(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
      }
    }
    return wanted;
  }

  private void grants(UserAccount user, String source, Map<Long, Role> wanted, String address) {
    boolean removed = false;
    for (Grant g : Grant.<Grant>list("userId = ?1 and source = ?2", user.id, source)) {
      Role want = wanted.get(g.group.id);
      if (want == null || !want.wireName().equals(g.role)) {
        String detail = g.role + " on " + g.group.name + " (" + source + " claim)";
        g.delete();
        removed = true;
        audit.record(
            Audit.by(source, null, address)
                .action("grant.delete")
                .subject(user.username)
                .detail(detail));
      }
    }
    Grant.flush();
    for (Map.Entry<Long, Role> w : wanted.entrySet()) {
      DeviceGroup group = DeviceGroup.findById(w.getKey());
      if (Grant.count("userId = ?1 and group = ?2", user.id, group) > 0) {
        continue; // an admin's grant on the group stands as it is
      }
      Grant grant = new Grant();
      grant.userId = user.id;
      grant.group = group;
      grant.role = w.getValue().wireName();
      grant.source = source;
      grant.persist();
      audit.record(
          Audit.by(source, null, address)
              .action("grant.create")
              .subject(user.username)
              .detail(grant.role + " on " + group.name + " (" + source + " claim)"));
    }
    if (removed) {
      accessChanged.fire(
          AccessChanged.user(
              AccessChanged.Kind.GRANT_REMOVED,
              user.id,
              "grant removed by the " + source + " claim"));
    }
  }

  private void admin(UserAccount user, String source, boolean claimed, String address) {
    if (claimed && !user.admin) {
      user.admin = true;
      user.adminSource = source;
    } else if (!claimed && user.admin && source.equals(user.adminSource)) {
      user.admin = false;
      user.adminSource = null;
      accessChanged.fire(
          AccessChanged.user(
              AccessChanged.Kind.ADMIN_REMOVED,
              user.id,
              "admin flag removed by the " + source + " claim"));
    } else {
      return;
    }
    audit.record(
        Audit.by(source, null, address)
            .action("user.update")
            .subject(user.username)
            .detail("admin=" + user.admin + " (" + source + " claim)"));
  }
}
