package io.tether.link;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON shapes of the links API. */
public final class LinkApi {
  private LinkApi() {}

  public record NewLink(
      @Schema(example = "console") @NotBlank @Size(max = 32) String target,
      @Schema(
              description = "source addresses or CIDRs allowed to connect; empty admits nobody",
              example = "[\"203.0.113.0/24\"]")
          @NotNull
          @Size(max = 64)
          List<String> allowCidrs,
      @Schema(description = "a port from the link pool; omitted: the first free one") Integer port,
      @Schema(description = "a client connecting while someone controls takes control")
          Boolean takeOver) {}

  public record LinkView(
      long id,
      long deviceId,
      String target,
      int port,
      List<String> allowCidrs,
      boolean takeOver,
      boolean listening,
      Instant createdAt,
      @Schema(
              description =
                  "the device's group requires a second factor, which this port's connections"
                      + " (no user) bypass; creating one there took the admin's fresh code")
          boolean outsideSecondFactorPolicy) {}
}
