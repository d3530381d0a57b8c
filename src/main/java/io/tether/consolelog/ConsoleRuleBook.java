package io.tether.consolelog;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** PLACEHOLDER until the rules land from the console-rules branch (replaced there). */
@ApplicationScoped
public class ConsoleRuleBook {
  public void scan(long deviceId, String target, List<LogLine> lines) {}
}
