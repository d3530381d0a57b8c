package io.tether.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What the build wrote into {@code tether-build.properties}: version, commit, PostgreSQL. */
public final class BuildInfo {
  private BuildInfo() {}

  public static Properties properties() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("/tether-build.properties")) {
      Properties props = new Properties();
      props.load(in);
      return props;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This portal's version, as its packages are named after it (e.g. 0.1.0-SNAPSHOT). */
  public static String version() {
    return properties().getProperty("tether.version");
  }
}
