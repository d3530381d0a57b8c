package io.tether.link;

import io.tether.access.AccessChanged;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.boot.TetherConfig;
import io.tether.cluster.LinkPortChanged;
import io.tether.device.Device;
import io.tether.device.DeviceTarget;
import io.tether.net.Cidr;
import io.tether.net.PortPool;
import io.tether.net.PortRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Creates and removes link ports: the port from the pool, checked by a probe bind. */
@ApplicationScoped
public class LinkService {
  private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

  @Inject TetherConfig config;
  @Inject Event<LinkPortChanged> ports;
  @Inject AuditLog audit;

  PortPool pool() {
    return new PortPool(PortRange.parse(config.links().ports()), config.links().bind());
  }

  @Transactional
  public List<DeviceLink> list(long deviceId) {
    return DeviceLink.ofDevice(deviceId);
  }

  @Transactional
  public DeviceLink create(Principal admin, String address, Device device, LinkApi.NewLink body) {
    if (!TARGET.matcher(body.target()).matches()) {
      throw ApiException.badRequest("target", "a target name is 1-32 characters [A-Za-z0-9_.-]");
    }
    List<String> known = device.targets.stream().map(DeviceTarget::name).toList();
    if (!known.isEmpty() && !known.contains(body.target())) {
      throw ApiException.badRequest(
          "target", "device " + device.name + " has no target '" + body.target() + "' " + known);
    }
    for (String cidr : body.allowCidrs()) {
      try {
        Cidr.parse(cidr);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "allowCidrs", "'" + cidr + "' is not an address or CIDR (e.g. 203.0.113.0/24)");
      }
    }
    DeviceLink link = new DeviceLink();
    link.deviceId = device.id;
    link.target = body.target();
    link.allowCidrs = body.allowCidrs().toArray(new String[0]);
    link.takeOver = Boolean.TRUE.equals(body.takeOver());
    link.port = port(body.port());
    link.persist();
    ports.fire(new LinkPortChanged(link.id, false, null));
    audit.record(
        Audit.by(admin, address)
            .action("link.create")
            .subject(device.name + "/" + link.target)
            .device(device.id)
            .detail(
                "port "
                    + link.port
                    + ", allow "
                    + String.join(",", link.allowCidrs)
                    + (link.takeOver ? ", takes over" : "")));
    return link;
  }

  @Transactional
  public DeviceLink delete(Principal admin, String address, Device device, long linkId) {
    DeviceLink link =
        DeviceLink.<DeviceLink>findByIdOptional(linkId)
            .filter(l -> l.deviceId.equals(device.id))
            .orElseThrow(() -> ApiException.notFound("no link " + linkId + " on this device"));
    link.delete();
    ports.fire(new LinkPortChanged(link.id, true, null));
    audit.record(
        Audit.by(admin, address)
            .action("link.delete")
            .subject(device.name + "/" + link.target)
            .device(device.id)
            .detail("port " + link.port));
    return link;
  }

  private int port(Integer requested) {
    Set<Integer> taken =
        DeviceLink.<DeviceLink>listAll().stream().map(l -> l.port).collect(Collectors.toSet());
    try {
      return requested == null ? pool().claimAny(taken) : pool().claim(requested, taken);
    } catch (PortPool.Unavailable e) {
      String detail = "link " + e.getMessage();
      throw e.refusal() == PortPool.Refusal.OUTSIDE_POOL
          ? ApiException.badRequest("port", detail)
          : ApiException.conflict("port", detail);
    }
  }

  /** The link ports of a deleted device stop listening (their rows go with the device). */
  static boolean deviceGone(AccessChanged change) {
    return change.kind() == AccessChanged.Kind.DEVICE_DELETED && change.deviceId() != null;
  }
}
