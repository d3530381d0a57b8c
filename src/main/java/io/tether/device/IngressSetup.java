package io.tether.device;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What a raw device shows: its ingress port and the settings to enter on the device server so it
 * dials that port in TCP-client mode, for the common makes.
 */
public record IngressSetup(
    int port,
    List<String> allowCidrs,
    boolean connectString,
    boolean unauthenticated,
    boolean outsideSecondFactorPolicy,
    String host,
    Map<String, String> settings) {

  /**
   * The setup of a raw device, or null for an agent's. {@code secondFactorEverywhere}:
   * TETHER_REQUIRE_SECOND_FACTOR; with it or its group's rule the ingress is outside the
   * second-factor policy (its connections carry no user).
   */
  static IngressSetup of(Device d, boolean secondFactorEverywhere) {
    if (!d.raw() || d.ingressPort == null) {
      return null;
    }
    String host = portalHost();
    int port = d.ingressPort;
    boolean secret = d.connectSecretHash != null;
    String connect =
        secret
            ? " Set the connect string (sent first on every connection) to the one given when the"
                + " device was created."
            : "";
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "tibbo",
        "Routing Mode = Client (or Server/Client); Connection Mode = Immediately; Transport"
            + " Protocol = TCP; Destination IP-address = "
            + host
            + "; Destination Port = "
            + port
            + "."
            + connect);
    settings.put(
        "lantronix",
        "Connect Mode: Active Connect = Auto Start; Remote Host = "
            + host
            + "; Remote Port = "
            + port
            + "; Protocol = TCP; TCP Keepalive = on."
            + connect);
    settings.put(
        "moxa",
        "Operation Mode = TCP Client; Destination IP address 1 = "
            + host
            + ":"
            + port
            + "; Connection Control = Startup/None; TCP alive check time = 1 min."
            + connect);
    settings.put(
        "generic",
        "TCP client mode, connect at power-up and reconnect when dropped, to "
            + host
            + ":"
            + port
            + ", with TCP keepalive on."
            + connect);
    return new IngressSetup(
        port,
        List.of(d.allowCidrs),
        secret,
        true,
        secondFactorEverywhere || d.group.requireSecondFactor,
        host,
        settings);
  }

  /** The host users reach the portal at, or a placeholder when TETHER_PUBLIC_URL is unset. */
  private static String portalHost() {
    return ConfigProvider.getConfig()
        .getOptionalValue("tether.public-url", String.class)
        .filter(u -> !u.isBlank())
        .map(u -> URI.create(u).getHost())
        .orElse("<the portal's public address>");
  }
}
