package io.tether.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the Prometheus alert rules (deploy/prometheus/alerts.yml) use, checked against
 * what a portal serves.
 */
public final class PrometheusRules {
  public static final Path FILE = Path.of("deploy/prometheus/alerts.yml");

  /** Metrics a node serves only in a cluster (ClusterRelayIT checks those against its nodes). */
  public static final String CLUSTER_ONLY = "tether_cluster_";

  private static final Pattern NAME = Pattern.compile("\\btether_[a-z_]+");

  private PrometheusRules() {}

  /** The tether_* metric names the rules use. */
  public static Set<String> used() throws IOException {
    Set<String> used = new TreeSet<>();
    Matcher m = NAME.matcher(Files.readString(FILE, StandardCharsets.UTF_8));
    while (m.find()) {
      used.add(m.group());
    }
    return used;
  }

  /** Those of {@code names} of which the Prometheus text {@code served} has no sample. */
  public static Set<String> notServed(Set<String> names, String served) {
    Set<String> missing = new TreeSet<>();
    for (String name : names) {
      if (!Pattern.compile("(?m)^" + name + "(\\{| )").matcher(served).find()) {
        missing.add(name);
      }
    }
    return missing;
  }
}
