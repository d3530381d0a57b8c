package io.tether.enroll;

import io.tether.boot.BuildInfo;
import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The agent files this portal hands out, of its own version: the jar and the Debian package, from
 * {@code TETHER_DOWNLOADS_DIR} or the directory that holds the running portal's quarkus-app (where
 * the build and the tether-portal package put them).
 */
@ApplicationScoped
public class AgentDownloads {
  static final String JAR = "tether-agent.jar";

  /** A file to serve: where it is, its name for the browser, its SHA-256 in hex, its size. */
  public record Download(Path path, String fileName, String sha256, long size, Stamp stamp) {}

  /** A file as last seen: what the cached digest and version belong to. */
  record Stamp(Path path, long size, long modified) {}

  /** This build's version: read once, it never changes while the portal runs. */
  private final String version = BuildInfo.version();

  private final Optional<Path> configured;
  private final ConcurrentHashMap<Stamp, String> digests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Stamp, Optional<String>> versions = new ConcurrentHashMap<>();

  @Inject
  AgentDownloads(TetherConfig config) {
    this.configured = config.downloadsDir();
  }

  /** The portal's version, which the files must carry. */
  public String version() {
    return version;
  }

  /** Debian's form of the version, as the package's file name carries it (~ sorts before). */
  static String debianVersion(String version) {
    return version.replace('-', '~');
  }

  public Optional<Path> dir() {
    if (configured.isPresent()) {
      return configured;
    }
    // java -jar …/quarkus-app/quarkus-run.jar: its class path is that one jar
    Path runJar = Path.of(System.getProperty("java.class.path", "")).toAbsolutePath();
    Path app = runJar.getParent();
    if (!runJar.getFileName().toString().equals("quarkus-run.jar") || app.getParent() == null) {
      return Optional.empty();
    }
    return Optional.of(app.getParent());
  }

  public Optional<Download> jar() {
    return dir().map(d -> d.resolve(JAR)).filter(Files::isRegularFile).map(p -> download(p, JAR));
  }

  public Optional<Download> deb() {
    String name = "tether-agent_" + debianVersion(version()) + "_all.deb";
    return dir().map(d -> d.resolve(name)).filter(Files::isRegularFile).map(p -> download(p, name));
  }

  private Download download(Path path, String fileName) {
    try {
      Stamp stamp = new Stamp(path, Files.size(path), Files.getLastModifiedTime(path).toMillis());
      String sha = digests.computeIfAbsent(stamp, s -> sha256(s.path()));
      return new Download(path, fileName, sha, stamp.size(), stamp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The version the jar's agent reports: its manifest's {@code Implementation-Version} (the build
   * writes the portal's version there); empty for a jar without one.
   */
  public Optional<String> jarVersion(Download jar) {
    return versions.computeIfAbsent(jar.stamp(), s -> manifestVersion(s.path()));
  }

  static Optional<String> manifestVersion(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      return Optional.ofNullable(manifest)
          .map(m -> m.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION))
          .map(String::trim)
          .filter(v -> !v.isEmpty());
    } catch (IOException e) {
      return Optional.empty(); // not a jar: nothing to offer
    }
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
