package io.tether.device;

import io.tether.api.ApiException;
import java.util.Map;

/** Applies an admin's web-target changes to a device (PATCH {@code webTargets}). */
final class WebTargets {
  private WebTargets() {}

  /**
   * Marks, re-marks or unmarks TCP targets as web pages; answers what changed for the audit. Only a
   * TCP target the agent offers now can become a web page (a serial port speaks no HTTP).
   */
  static String apply(Device device, Map<String, DeviceApi.WebTargetPatch> patch) {
    StringBuilder detail = new StringBuilder();
    patch.forEach(
        (name, change) -> {
          String field = "webTargets." + name;
          WebTarget row =
              device.webTargets.stream()
                  .filter(w -> w.target.equals(name))
                  .findFirst()
                  .orElse(null);
          if (change.scheme() != null && !"off".equals(change.scheme())) {
            boolean tcp =
                device.targets.stream()
                    .anyMatch(t -> t.name().equals(name) && "tcp".equals(t.kind()));
            if (!tcp) {
              throw ApiException.badRequest(
                  field + ".scheme",
                  field
                      + ".scheme: device '"
                      + device.name
                      + "' offers no TCP target '"
                      + name
                      + "' (only a TCP target the agent offers can be a web page)");
            }
            if (row == null) {
              row = new WebTarget();
              row.device = device;
              row.target = name;
              row.hostLabel = WebTarget.newLabel();
              device.webTargets.add(row);
            }
            if (!change.scheme().equals(row.scheme)) {
              row.pinnedSha256 = null;
              row.offeredSha256 = null;
            }
            row.scheme = change.scheme();
            row.persist();
            note(detail, name + " web " + change.scheme());
          } else if ("off".equals(change.scheme()) && row != null && row.scheme != null) {
            row.scheme = null;
            row.pinnedSha256 = null;
            row.offeredSha256 = null;
            note(detail, name + " web off");
          }
          if (Boolean.TRUE.equals(change.acceptCertificate())) {
            if (row == null || row.offeredSha256 == null) {
              throw ApiException.badRequest(
                  field + ".acceptCertificate",
                  field + ".acceptCertificate: the device presented no other certificate");
            }
            note(
                detail,
                name + " certificate " + row.offeredSha256 + " replaces " + row.pinnedSha256);
            row.pinnedSha256 = row.offeredSha256;
            row.offeredSha256 = null;
          }
        });
    return detail.toString();
  }

  private static void note(StringBuilder detail, String change) {
    detail.append(detail.isEmpty() ? "" : "; ").append(change);
  }
}
