package io.tether.enroll;

import io.tether.access.CurrentPrincipal;
import io.tether.api.ApiException;
import io.tether.boot.TetherConfig;
import io.tether.protocol.AgentUpgrade;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent as the portal serves it, of the portal's own version: the jar, the Debian package and
 * an install script with this portal's URL and the package's checksum filled in. The files are
 * public (a device has no credentials yet); nothing secret is in them.
 */
@Path("/")
@Tag(name = "enrollment")
public class DownloadResource {
  @Inject AgentDownloads downloads;
  @Inject InstallScript script;
  @Inject TetherConfig config;
  @Inject CurrentPrincipal current;
  @Inject SignedAgent signed;
  @Context UriInfo uri;

  /** What the UI shows to connect a device: the files, their checksums, the one-liner. */
  public record Downloads(
      String version, String installCommand, List<File> files, String agentJarVersion) {}

  public record File(String name, String url, String sha256, long size) {}

  @GET
  @Path("api/downloads")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "The agent files this portal serves, and the install one-liner")
  public Downloads index() {
    current.require();
    String base = script.portalUrl(config.publicUrl(), uri.getBaseUri());
    List<File> files =
        java.util.stream.Stream.of(
                downloads.jar().map(d -> file(base, "tether-agent.jar", d)),
                downloads.deb().map(d -> file(base, "tether-agent.deb", d)))
            .flatMap(Optional::stream)
            .toList();
    // what an agent upgrade installs (the jar's own version: the downloads dir may hold another)
    String agentJarVersion = downloads.jar().flatMap(downloads::jarVersion).orElse(null);
    return new Downloads(downloads.version(), InstallScript.command(base), files, agentJarVersion);
  }

  private static File file(String base, String path, AgentDownloads.Download d) {
    return new File(d.fileName(), base + "/downloads/" + path, d.sha256(), d.size());
  }

  @GET
  @Path("downloads/tether-agent.jar")
  @Produces("application/java-archive")
  @Operation(summary = "The agent jar of this portal's version")
  public Response jar() {
    return serve(downloads.jar(), "tether-agent.jar");
  }

  @GET
  @Path("downloads/tether-agent.deb")
  @Produces("application/vnd.debian.binary-package")
  @Operation(summary = "The agent's Debian package of this portal's version")
  public Response deb() {
    return serve(downloads.deb(), "tether-agent_VERSION_all.deb");
  }

  @GET
  @Path("downloads/agent-signing.pub")
  @Produces("application/x-pem-file")
  @Operation(summary = "The public key agents check upgrades with (Ed25519, PEM)")
  public Response signingKey() {
    return Response.ok(signed.publicKeyPem())
        .header("Content-Disposition", "attachment; filename=\"agent-signing.pub\"")
        .build();
  }

  @GET
  @Path("downloads/tether-agent.jar.sig")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(
      summary =
          "The Ed25519 signature (base64) of the agent jar's statement: version, size, SHA-256")
  public Response jarSignature() {
    AgentUpgrade offer =
        signed
            .offer()
            .orElseThrow(
                () ->
                    downloads.jar().isEmpty()
                        ? missing("tether-agent.jar")
                        : ApiException.notFound(
                            "tether-agent.jar names no Implementation-Version in its manifest:"
                                + " it cannot be offered"));
    return Response.ok(Base64.getEncoder().encodeToString(offer.signature()) + "\n")
        .header("X-Agent-Version", offer.version())
        .header("Cache-Control", "no-store")
        .build();
  }

  @GET
  @Path("downloads/install-agent.sh")
  @Produces("text/x-shellscript")
  @Operation(summary = "The agent's install script for this portal (Debian, Raspberry Pi OS)")
  public Response installScript() {
    AgentDownloads.Download deb =
        downloads.deb().orElseThrow(() -> missing("tether-agent_VERSION_all.deb"));
    String base = script.portalUrl(config.publicUrl(), uri.getBaseUri());
    return Response.ok(
            script.render(base, downloads.version(), deb.sha256(), signed.publicKeyPem()))
        .header("Cache-Control", "no-store")
        .build();
  }

  private Response serve(Optional<AgentDownloads.Download> file, String what) {
    AgentDownloads.Download d = file.orElseThrow(() -> missing(what));
    return Response.ok(d.path().toFile())
        .header("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"")
        .header("X-Checksum-Sha256", d.sha256())
        .build();
  }

  private ApiException missing(String what) {
    return ApiException.notFound(
        what.replace("VERSION", AgentDownloads.debianVersion(downloads.version()))
            + " is not beside this portal"
            + downloads.dir().map(d -> " (looked in " + d + ")").orElse("")
            + ": set TETHER_DOWNLOADS_DIR to the directory holding the agent's files");
  }
}
