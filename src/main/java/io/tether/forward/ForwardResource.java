package io.tether.forward;

import io.tether.access.CurrentPrincipal;
import io.tether.access.FreshSecondFactor;
import io.tether.device.Device;
import io.tether.device.DeviceTarget;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The CLI's preflight: may I forward to this device target now? Answers the reason if not. */
@Path("/api/forward/check")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "forward")
public class ForwardResource {
  @Inject CurrentPrincipal current;
  @Inject ForwardCheck check;
  @Inject FreshSecondFactor freshFactor;

  /**
   * Where to forward: the device's id for the forward socket, and the target's kind ({@code serial}
   * or {@code tcp}: tether-cli --rfc2217 needs a serial one).
   */
  public record Ready(long deviceId, String device, String target, String kind) {}

  @GET
  @Operation(summary = "Check that the caller may forward to DEVICE's TARGET now (tether-cli)")
  public Ready check(@QueryParam("device") String device, @QueryParam("target") String target) {
    if (device == null || device.isBlank()) {
      throw io.tether.api.ApiException.badRequest("device", "device is required");
    }
    if (target == null || target.isBlank()) {
      throw io.tether.api.ApiException.badRequest("target", "target is required");
    }
    Device d = check.byName(freshFactor.presented(current.require()), device, target);
    String kind =
        d.targets.stream()
            .filter(t -> t.name().equals(target))
            .map(DeviceTarget::kind)
            .findFirst()
            .orElse(null);
    return new Ready(d.id, d.name, target, kind);
  }
}
