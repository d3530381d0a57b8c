package io.tether.consolelog;

import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.DeviceGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.List;

/** A group's console rules: listed, created (the pattern checked) and deleted, each audited. */
@ApplicationScoped
public class ConsoleRules {
  @Inject AuditLog audit;
  @Inject Event<RulesChanged> changed;

  /** Fired in the transaction that changed a group's rules; the rule book reloads after commit. */
  record RulesChanged(long groupId) {}

  @Transactional
  public List<ConsoleRule> list(String groupName) {
    return of(group(groupName).id);
  }

  /** The group's rules, oldest first (the order they are matched and listed in). */
  static List<ConsoleRule> of(long groupId) {
    return ConsoleRule.list("groupId = ?1 order by id", groupId);
  }

  @Transactional
  public ConsoleRule create(
      Principal admin, String address, String groupName, ConsoleRuleApi.NewRule body) {
    try {
      RulePattern.compile(body.pattern());
    } catch (RulePattern.Invalid e) {
      throw ApiException.badRequest("pattern", e.getMessage());
    }
    DeviceGroup group = group(groupName);
    // the group's row is the lock that keeps concurrent creates within the limit
    DeviceGroup.getEntityManager().lock(group, LockModeType.PESSIMISTIC_WRITE);
    if (ConsoleRule.count("groupId", group.id) >= ConsoleRuleApi.MAX_RULES_PER_GROUP) {
      throw ApiException.conflict(
          "name",
          "group '"
              + group.name
              + "' has "
              + ConsoleRuleApi.MAX_RULES_PER_GROUP
              + " console rules, the most a group may have: delete one first");
    }
    if (ConsoleRule.count("groupId = ?1 and name = ?2", group.id, body.name()) > 0) {
      throw ApiException.conflict(
          "name", "group '" + group.name + "' has a console rule named '" + body.name() + "'");
    }
    ConsoleRule rule = new ConsoleRule();
    rule.groupId = group.id;
    rule.name = body.name();
    rule.pattern = body.pattern();
    rule.severity = body.severity() == null ? ConsoleRuleApi.DEFAULT_SEVERITY : body.severity();
    rule.cooldownSeconds =
        body.cooldownSeconds() == null
            ? ConsoleRuleApi.DEFAULT_COOLDOWN_SECONDS
            : body.cooldownSeconds();
    rule.persist();
    changed(admin, address, "console-rule.create", group, rule);
    return rule;
  }

  @Transactional
  public void delete(Principal admin, String address, String groupName, long id) {
    DeviceGroup group = group(groupName);
    ConsoleRule rule =
        ConsoleRule.<ConsoleRule>find("id = ?1 and groupId = ?2", id, group.id)
            .firstResultOptional()
            .orElseThrow(
                () ->
                    ApiException.notFound("group '" + group.name + "' has no console rule " + id));
    rule.delete();
    changed(admin, address, "console-rule.delete", group, rule);
  }

  /** Audits the change and has the rule book reload the group's rules once it commits. */
  private void changed(
      Principal admin, String address, String action, DeviceGroup group, ConsoleRule rule) {
    audit.record(
        Audit.by(admin, address).action(action).subject(group.name).detail(describe(rule)));
    changed.fire(new RulesChanged(group.id));
  }

  private static String describe(ConsoleRule rule) {
    return "rule "
        + rule.id
        + " '"
        + rule.name
        + "' /"
        + rule.pattern
        + "/ "
        + rule.severity
        + ", cool-down "
        + rule.cooldownSeconds
        + " s";
  }

  private static DeviceGroup group(String name) {
    return DeviceGroup.<DeviceGroup>find("name", name)
        .firstResultOptional()
        .orElseThrow(() -> ApiException.notFound("no group named '" + name + "'"));
  }
}
