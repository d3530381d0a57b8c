package io.tether.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Agent jars for upgrade tests, and the key a portal signs them with. */
public final class AgentJars {
  private AgentJars() {}

  /** A copy of the build's agent jar whose manifest says {@code version}: another build. */
  public static Path withVersion(String version) throws IOException {
    Path out = Build.workDir("jar-" + version).resolve("tether-agent.jar");
    try (JarFile in = new JarFile(Build.artifact("tether-agent.jar").toFile())) {
      Manifest manifest = new Manifest(in.getManifest());
      manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
      try (OutputStream o = Files.newOutputStream(out);
          JarOutputStream jar = new JarOutputStream(o, manifest)) {
        for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
            continue;
          }
          jar.putNextEntry(new JarEntry(entry.getName()));
          try (InputStream body = in.getInputStream(entry)) {
            body.transferTo(jar);
          }
        }
      }
    }
    return out;
  }

  /** A public file of the portal at {@code baseUrl}, unauthenticated, as a device fetches it. */
  public static HttpResponse<String> download(String baseUrl, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The key the portal at {@code baseUrl} signs with, written where the install script puts it. */
  public static Path signingKey(String baseUrl) throws Exception {
    HttpResponse<String> key = download(baseUrl, "/downloads/agent-signing.pub");
    if (key.statusCode() != 200) {
      throw new AssertionError("agent-signing.pub: " + key.statusCode() + " " + key.body());
    }
    return Files.writeString(Build.workDir("upgrade-key").resolve("upgrade.pub"), key.body());
  }
}
