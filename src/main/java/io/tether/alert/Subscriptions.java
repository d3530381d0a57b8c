package io.tether.alert;

import io.tether.access.AccessPolicy;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What each user wants to be mailed about, per group or for every group they can see. */
@ApplicationScoped
public class Subscriptions {
  /** Rows a user may keep: every group times every kind, with room. */
  static final int MAX_ITEMS = 500;

  @Inject EntityManager em;
  @Inject AccessPolicy policy;

  public AlertApi.SubscriptionsView of(long userId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select s.group_id, g.name, s.event from alert_subscriptions s"
                    + " left join device_groups g on g.id = s.group_id"
                    + " where s.user_id = :u order by s.group_id nulls first, s.event")
            .setParameter("u", userId)
            .getResultList();
    Map<Long, List<String>> events = new LinkedHashMap<>();
    Map<Long, String> names = new LinkedHashMap<>();
    for (Object[] r : rows) {
      Long group = r[0] == null ? null : ((Number) r[0]).longValue();
      names.put(group, (String) r[1]);
      events.computeIfAbsent(group, g -> new ArrayList<>()).add((String) r[2]);
    }
    List<AlertApi.SubscriptionView> items = new ArrayList<>();
    events.forEach((g, e) -> items.add(new AlertApi.SubscriptionView(g, names.get(g), e)));
    return new AlertApi.SubscriptionsView(items, AlertKind.wireNames());
  }

  /** Replaces the user's subscriptions; each group must be one they can see. */
  public void replace(Principal user, AlertApi.Subscriptions body) {
    List<AlertApi.Subscription> items =
        body == null || body.items() == null ? List.of() : body.items();
    if (items.size() > MAX_ITEMS) {
      throw ApiException.badRequest("items", "at most " + MAX_ITEMS + " subscriptions");
    }
    Set<Long> visible = user.admin() ? null : policy.roles(user).keySet();
    Set<String> rows = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      AlertApi.Subscription s = items.get(i);
      Long group = s.groupId();
      if (group != null && !exists(group)
          || group != null && visible != null && !visible.contains(group)) {
        throw ApiException.badRequest(
            "items[" + i + "].groupId", "no group " + group + " that you can see");
      }
      List<String> events = s.events() == null ? List.of() : s.events();
      for (int k = 0; k < events.size(); k++) {
        String event = events.get(k);
        if (AlertKind.parse(event).isEmpty()) {
          throw ApiException.badRequest(
              "items[" + i + "].events[" + k + "]",
              "'" + event + "' is not one of " + String.join(", ", AlertKind.wireNames()));
        }
        rows.add(group + " " + event);
      }
    }
    em.createNativeQuery("delete from alert_subscriptions where user_id = :u")
        .setParameter("u", user.userId())
        .executeUpdate();
    for (String row : rows) {
      String[] parts = row.split(" ", 2);
      boolean every = "null".equals(parts[0]);
      var insert =
          em.createNativeQuery(
                  "insert into alert_subscriptions (user_id, group_id, event) values (:u, "
                      + (every ? "null" : ":g")
                      + ", :e)")
              .setParameter("u", user.userId())
              .setParameter("e", parts[1]);
      if (!every) {
        insert.setParameter("g", Long.valueOf(parts[0]));
      }
      insert.executeUpdate();
    }
  }

  private boolean exists(long groupId) {
    return !em.createNativeQuery("select 1 from device_groups where id = :g")
        .setParameter("g", groupId)
        .getResultList()
        .isEmpty();
  }
}
