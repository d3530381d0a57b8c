package io.tether.device;

import io.tether.access.AccessChanged;
import io.tether.access.AccessPolicy;
import io.tether.access.Action;
import io.tether.access.FreshSecondFactor;
import io.tether.access.Principal;
import io.tether.access.Role;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The device registry: create, find, change, delete devices and rotate their tokens. */
@ApplicationScoped
public class DeviceService {
  /** What a raw device's ingress is to the second-factor policy (FreshSecondFactor's words). */
  private static final String INGRESS = "raw devices' ingress ports";

  @Inject AccessPolicy policy;
  @Inject FreshSecondFactor freshFactor;
  @Inject DeviceAccess deviceAccess;
  @Inject DeviceCredentials credentials;
  @Inject RawDevices raw;
  @Inject AuditLog audit;
  @Inject Event<AccessChanged> accessChanged;

  /** A created device and its token (the only time the token is seen). */
  public record Created(Device device, String token) {}

  /** Filters of the device list; null means "any". */
  /**
   * {@code neverSeen}: only devices that never connected (no last-seen time); {@code state}: active
   * (the fleet) or pending (self-enrolled devices waiting for an admin, listed to admins only).
   */
  /** {@code agentVersions}: only agents reporting one of these (null: any, empty: none). */
  public record Filter(
      String name,
      String tag,
      String group,
      Boolean online,
      boolean neverSeen,
      String state,
      List<String> agentVersions) {
    public Filter(
        String name, String tag, String group, Boolean online, boolean neverSeen, String state) {
      this(name, tag, group, online, neverSeen, state, null);
    }
  }

  /**
   * The agent versions devices report that are older than {@code min}: a fleet runs a handful, so
   * the version order (semantic, not SQL's) is applied to them here and the list filters by them.
   */
  @Transactional
  public List<String> agentVersionsOlderThan(String min) {
    return Device.<Device>getEntityManager()
        .createQuery(
            "select distinct d.agentVersion from Device d where d.agentVersion is not null"
                + " and d.deletedAt is null",
            String.class)
        .getResultList()
        .stream()
        .filter(v -> io.tether.protocol.SemanticVersion.older(v, min))
        .toList();
  }

  @Transactional
  public Created create(Principal admin, String address, DeviceApi.NewDevice body) {
    return create(admin, address, body, null);
  }

  /** {@code auditDetail}: what the audit entry adds, e.g. how the device came (may be null). */
  @Transactional
  public Created create(
      Principal admin, String address, DeviceApi.NewDevice body, String auditDetail) {
    requireUniqueName(body.name(), null);
    Device device = new Device();
    device.name = body.name();
    device.description = body.description() == null ? "" : body.description();
    device.group = group(body.group() == null ? DeviceGroup.DEFAULT : body.group());
    device.tags = device.group.tagsFor(body.tags());
    device.encoding = device.group.encodingFor(body.encoding());
    if ("raw".equals(body.mode())) {
      freshFactor.require(admin, device.group.requireSecondFactor, device.group.name, INGRESS);
      raw.configure(device, body.allowCidrs(), body.connectSecret());
    } else if (body.allowCidrs() != null || body.connectSecret() != null) {
      throw ApiException.badRequest(
          "mode", "allowCidrs and connectSecret apply to raw devices: set \"mode\": \"raw\"");
    }
    device.persist();
    // raw devices have no agent, so no token: their device server is admitted by address
    String token = device.raw() ? null : credentials.issue(device);
    Device.flush();
    raw.fireChanged(device);
    audit.record(
        Audit.by(admin, address)
            .action("device.create")
            .subject(device.name)
            .device(device.id)
            .detail(auditDetail));
    return new Created(device, token);
  }

  /**
   * The devices the principal may see, filtered, one page: by id (order null; the cursor is the
   * last id) or in {@code order} (the cursor is the last device's place in it).
   */
  public Page<Device> list(
      Principal principal, Filter filter, DeviceOrder order, String cursor, Integer limit) {
    PageRequest page = PageRequest.of(order == null ? cursor : null, limit);
    StringBuilder q = new StringBuilder("deletedAt is null and state = :state");
    Map<String, Object> params = new HashMap<>();
    String state = filter.state() == null ? Device.ACTIVE : filter.state();
    if (Device.PENDING.equals(state) && !principal.admin()) {
      return new Page<>(List.of(), null);
    }
    params.put("state", state);
    if (order == null) {
      q.append(" and id > :after");
      params.put("after", page.after() == null ? 0L : page.after());
    } else {
      order.after(cursor, q, params);
    }
    if (!principal.admin()) {
      Map<Long, Role> roles = policy.roles(principal);
      if (roles.isEmpty()) {
        return new Page<>(List.of(), null);
      }
      q.append(" and group.id in :groups");
      params.put("groups", roles.keySet());
    }
    if (filter.name() != null && !filter.name().isBlank()) {
      q.append(" and lower(name) like :name");
      params.put("name", "%" + filter.name().toLowerCase(Locale.ROOT).replace("%", "") + "%");
    }
    if (filter.tag() != null && !filter.tag().isBlank()) {
      q.append(" and array_contains(tags, :tag)");
      params.put("tag", filter.tag());
    }
    if (filter.group() != null && !filter.group().isBlank()) {
      q.append(" and group.name = :group");
      params.put("group", filter.group());
    }
    if (filter.online() != null) {
      q.append(" and online = :online");
      params.put("online", filter.online());
    }
    if (filter.neverSeen()) {
      q.append(" and lastSeen is null");
    }
    if (filter.agentVersions() != null) {
      if (filter.agentVersions().isEmpty()) {
        return new Page<>(List.of(), null);
      }
      q.append(" and agentVersion in :versions");
      params.put("versions", filter.agentVersions());
    }
    q.append(order == null ? " order by id" : order.orderBy());
    List<Device> rows = Device.<Device>find(q.toString(), params).page(0, page.limit() + 1).list();
    if (order == null) {
      return page.page(rows, d -> d.id);
    }
    if (rows.size() <= page.limit()) {
      return new Page<>(rows, null);
    }
    List<Device> items = List.copyOf(rows.subList(0, page.limit()));
    return new Page<>(items, order.cursorAfter(items.get(items.size() - 1)));
  }

  public Device get(Principal principal, long id) {
    return deviceAccess.requireEntry(principal, id);
  }

  /**
   * The device with what its view reads loaded while the transaction is open: the entity leaves the
   * transaction detached, and its lazy web targets would fail to load afterwards.
   */
  private static Device viewable(Device device) {
    org.hibernate.Hibernate.initialize(device.webTargets);
    return device;
  }

  /** An admin lets a pending device in: from now on its group's access decides who reaches it. */
  @Transactional
  public Device approve(Principal admin, String address, long id) {
    Device device = deviceAccess.require(admin, Action.MANAGE, id);
    if (!device.pending()) {
      throw ApiException.conflict("state", "device " + device.name + " is not pending approval");
    }
    device.state = Device.ACTIVE;
    audit.record(
        Audit.by(admin, address).action("device.approve").subject(device.name).device(device.id));
    return viewable(device);
  }

  /**
   * An admin turns a pending device away: it is deleted and its token revoked, so its agent is
   * disconnected and refused from then on.
   */
  @Transactional
  public void reject(Principal admin, String address, long id) {
    Device device = deviceAccess.require(admin, Action.MANAGE, id);
    if (!device.pending()) {
      throw ApiException.conflict(
          "state", "device " + device.name + " is not pending approval: delete it instead");
    }
    remove(device, "device rejected");
    audit.record(
        Audit.by(admin, address).action("device.reject").subject(device.name).device(device.id));
  }

  @Transactional
  public Device update(Principal principal, String address, long id, DeviceApi.DevicePatch patch) {
    Device device = deviceAccess.require(principal, Action.MANAGE, id);
    if (patch.name() != null && !patch.name().equalsIgnoreCase(device.name)) {
      requireUniqueName(patch.name(), device.id);
    }
    boolean movesGroup = patch.group() != null && !patch.group().equals(device.group.name);
    if (device.raw()
        && (movesGroup || patch.allowCidrs() != null || patch.connectSecret() != null)) {
      DeviceGroup to = movesGroup ? group(patch.group()) : device.group;
      freshFactor.require(principal, to.requireSecondFactor, to.name, INGRESS);
    }
    if (patch.name() != null) {
      device.name = patch.name();
    }
    if (patch.description() != null) {
      device.description = patch.description();
    }
    if (movesGroup) {
      device.group = group(patch.group());
      accessChanged.fire(
          AccessChanged.device(
              AccessChanged.Kind.DEVICE_MOVED,
              device.id,
              "device moved to group " + device.group.name));
    }
    if (patch.tags() != null) {
      device.tags = tags(patch.tags());
    }
    if (patch.encoding() != null) {
      device.encoding = patch.encoding();
    }
    if (patch.allowCidrs() != null || patch.connectSecret() != null) {
      raw.update(device, patch.allowCidrs(), patch.connectSecret());
      raw.fireChanged(device);
    }
    String targets = patch.targets() == null ? "" : targetSettings(device, patch.targets());
    if (patch.webTargets() != null) {
      String web = WebTargets.apply(device, patch.webTargets());
      targets = targets.isEmpty() || web.isEmpty() ? targets + web : targets + "; " + web;
    }
    audit.record(
        Audit.by(principal, address)
            .action("device.update")
            .subject(device.name)
            .device(device.id)
            .detail(targets.isEmpty() ? null : targets));
    return viewable(device);
  }

  /**
   * Applies per-target settings; answers what changed for the audit. A raw device's one stream is
   * not a serial port the portal could keep open unasked: only agent devices take {@code always}.
   */
  private static String targetSettings(Device device, Map<String, DeviceApi.TargetPatch> patch) {
    Map<String, TargetSettings> settings = new java.util.LinkedHashMap<>(device.targetSettings);
    StringBuilder detail = new StringBuilder();
    patch.forEach(
        (name, change) -> {
          if (change.log() == null) {
            return;
          }
          if (TargetSettings.LOG_ALWAYS.equals(change.log()) && device.raw()) {
            throw ApiException.badRequest(
                "targets." + name + ".log",
                "targets."
                    + name
                    + ".log: a raw device cannot be logged while nobody is connected");
          }
          if ("default".equals(change.log())) {
            settings.remove(name);
          } else {
            settings.put(name, new TargetSettings(change.log()));
          }
          detail
              .append(detail.isEmpty() ? "" : "; ")
              .append(name)
              .append(" log ")
              .append(change.log());
        });
    device.targetSettings = settings;
    return detail.toString();
  }

  @Transactional
  public void delete(Principal principal, String address, long id) {
    Device device = deviceAccess.require(principal, Action.MANAGE, id);
    remove(device, "device deleted");
    audit.record(
        Audit.by(principal, address)
            .action("device.delete")
            .subject(device.name)
            .device(device.id));
  }

  @Transactional
  public String rotateToken(Principal principal, String address, long id) {
    Device device = deviceAccess.require(principal, Action.MANAGE, id);
    if (device.raw()) {
      throw ApiException.conflict(
          "mode", "a raw device has no token: its device server is admitted by source address");
    }
    String token = credentials.issue(device);
    accessChanged.fire(
        AccessChanged.device(
            AccessChanged.Kind.DEVICE_TOKEN_ROTATED, device.id, "device token rotated"));
    audit.record(
        Audit.by(principal, address)
            .action("device.rotate-token")
            .subject(device.name)
            .device(device.id));
    return token;
  }

  private void remove(Device device, String reason) {
    device.deletedAt = Instant.now();
    device.online = false;
    credentials.revokeAll(device);
    accessChanged.fire(AccessChanged.device(AccessChanged.Kind.DEVICE_DELETED, device.id, reason));
  }

  /** Refuses a name a live device already has (names compare without case). */
  public static void requireUniqueName(String name, Long except) {
    long clashes =
        except == null
            ? Device.count("lower(name) = lower(?1) and deletedAt is null", name)
            : Device.count(
                "lower(name) = lower(?1) and deletedAt is null and id <> ?2", name, except);
    if (clashes > 0) {
      throw ApiException.conflict("name", "a device named '" + name + "' exists");
    }
  }

  /** The group of that name; 400 naming the field when there is none. */
  public static DeviceGroup group(String name) {
    return DeviceGroup.<DeviceGroup>find("name", name)
        .firstResultOptional()
        .orElseThrow(() -> ApiException.badRequest("group", "no group named '" + name + "'"));
  }

  private static String[] tags(List<String> tags) {
    return tags == null ? new String[0] : tags.stream().distinct().toArray(String[]::new);
  }
}
