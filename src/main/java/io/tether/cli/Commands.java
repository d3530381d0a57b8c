package io.tether.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands of {@code tether} besides {@code forward}: {@code login}, {@code logout}, {@code
 * devices}, {@code sessions}. Each answers its exit code (docs: {@link CliMain#USAGE}).
 */
final class Commands {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_SIGNED_IN = 3;

  /** Rows fetched a page at a time. */
  static final int PAGE = 200;

  private final CliArgs args;
  private final Map<String, String> env;
  private final PrintStream out;

  Commands(CliArgs args, Map<String, String> env, PrintStream out) {
    this.args = args;
    this.env = env;
    this.out = out;
  }

  // --- login / logout ---

  int login() throws CliMain.Failure, IOException, InterruptedException {
    return new Login(args, env, out).run();
  }

  int logout() throws CliMain.Failure, IOException, InterruptedException {
    Path file = Credentials.file(env);
    Optional<Credentials> creds = Credentials.load(file);
    if (creds.isEmpty()) {
      out.println("not signed in");
      return OK;
    }
    Credentials c = creds.get();
    if (c.tokenId() > 0) {
      try {
        PortalCalls.of(c.portal(), c.ca(), Map.of("Authorization", "Bearer " + c.token()))
            .call("DELETE", "/api/tokens/" + c.tokenId(), null, 204);
      } catch (PortalCalls.NotSignedIn e) {
        // revoked or expired already: nothing left to revoke
      }
    }
    Files.delete(file);
    out.println(
        "signed out of "
            + c.portal()
            + (c.tokenId() > 0
                ? "; the token is revoked"
                : "; the token given to login still works"));
    return OK;
  }

  // --- listings ---

  int devices() throws CliMain.Failure, IOException, InterruptedException {
    if (args.flag("--names") || args.option("--targets-of").isPresent()) {
      return completionWords();
    }
    StringBuilder query = new StringBuilder();
    args.option("--group").ifPresent(g -> query.append("&group=").append(enc(g)));
    if (args.flag("--online")) {
      query.append("&online=true");
    }
    List<Map<String, Object>> items = all("/api/devices", query.toString());
    if (args.flag("--json")) {
      out.println(Json.write(items));
      return OK;
    }
    Table t = new Table("NAME", "STATUS", "GROUP", "AGENT", "TARGETS");
    for (Map<String, Object> d : items) {
      List<String> targets = new ArrayList<>();
      if (d.get("targets") instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof Map<?, ?> target) {
            targets.add(target.get("name") + "(" + target.get("kind") + ")");
          }
        }
      }
      t.row(
          str(d.get("name")),
          Boolean.TRUE.equals(d.get("online"))
              ? "online"
              : "pending".equals(d.get("state")) ? "pending" : "offline",
          str(d.get("group")),
          str(d.get("agentVersion")),
          String.join(" ", targets));
    }
    t.print(out);
    return OK;
  }

  /** A TAB press waits this long for the portal at most, then completes nothing. */
  static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(2);

  /**
   * The bash completion's words, one a line: device names ({@code --names}) or a device's target
   * names ({@code --targets-of DEVICE}). Silent on any failure (not signed in, portal away): a
   * completion offers nothing rather than an error in the middle of a command line.
   */
  @SuppressWarnings("unchecked")
  private int completionWords() throws InterruptedException {
    try {
      Optional<String> device = args.option("--targets-of");
      List<Map<String, Object>> items =
          all(
              signedIn().within(COMPLETION_TIMEOUT),
              "/api/devices",
              device.map(d -> "&name=" + enc(d)).orElse("&sort=name"));
      for (Map<String, Object> d : items) {
        if (device.isEmpty()) {
          out.println(str(d.get("name")));
        } else if (device.get().equalsIgnoreCase(String.valueOf(d.get("name")))
            && d.get("targets") instanceof List<?> targets) {
          for (Object t : targets) {
            if (t instanceof Map<?, ?> target) {
              out.println(str(((Map<String, Object>) target).get("name")));
            }
          }
        }
      }
      return OK;
    } catch (CliMain.Failure | IOException | RuntimeException e) {
      return e instanceof PortalCalls.NotSignedIn ? NOT_SIGNED_IN : FAILED;
    }
  }

  int sessions() throws CliMain.Failure, IOException, InterruptedException {
    List<Map<String, Object>> items = all("/api/sessions", args.flag("--live") ? "&live=true" : "");
    if (args.flag("--json")) {
      out.println(Json.write(items));
      return OK;
    }
    Table t = new Table("ID", "DEVICE/TARGET", "STATE", "STARTED", "PEOPLE");
    for (Map<String, Object> s : items) {
      String device = s.get("device") instanceof Map<?, ?> d ? str(d.get("name")) : "?";
      List<String> people = new ArrayList<>();
      if (s.get("participants") instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof Map<?, ?> p && !people.contains(str(p.get("username")))) {
            people.add(str(p.get("username")));
          }
        }
      }
      t.row(
          str(s.get("id")),
          device + "/" + str(s.get("target")),
          str(s.get("state")),
          str(s.get("startedAt")),
          String.join(",", people));
    }
    t.print(out);
    return OK;
  }

  /**
   * Plays a session's recording in this terminal with its timing ({@code --speed} times faster;
   * pauses longer than {@link #MAX_PAUSE} are cut to it, as asciinema does); gaps print a line.
   */
  int replay() throws CliMain.Failure, IOException, InterruptedException {
    String id =
        args.positionals().stream()
            .findFirst()
            .orElseThrow(
                () -> new CliArgs.UsageException("usage: tether replay SESSION [--speed N]"));
    if (!id.matches("\\d{1,18}")) {
      throw new CliArgs.UsageException(
          "SESSION is a session id, e.g. 42 (tether sessions lists them)");
    }
    double speed = speed(args.option("--speed").orElse("1"));
    String cast =
        signedIn().call("GET", "/api/sessions/" + id + "/recording?format=cast", null, 200).body();
    double shown = 0;
    for (String line : cast.split("\n")) {
      if (!line.startsWith("[")) {
        continue; // the header
      }
      if (!(Json.parse(line) instanceof List<?> event) || event.size() < 3) {
        continue;
      }
      double at = event.get(0) instanceof Number n ? n.doubleValue() : shown;
      double pause = Math.min((at - shown) / speed, MAX_PAUSE.toMillis() / 1000.0);
      if (pause > 0) {
        out.flush();
        Thread.sleep((long) (pause * 1000));
      }
      shown = at;
      switch (String.valueOf(event.get(1))) {
        case "o" -> out.print(event.get(2));
        case "m" -> out.print("\r\n[tether: " + event.get(2) + "]\r\n");
        default -> {} // input is not played back
      }
    }
    out.flush();
    return OK;
  }

  /** The longest pause {@code replay} keeps: idle minutes of a session are not worth waiting. */
  static final Duration MAX_PAUSE = Duration.ofSeconds(2);

  private static double speed(String value) throws CliArgs.UsageException {
    try {
      double s = Double.parseDouble(value);
      if (s > 0 && s <= 1000) {
        return s;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new CliArgs.UsageException("--speed must be a number above 0, at most 1000");
  }

  /** Every item of a list endpoint, page by page, with the stored or given credentials. */
  private List<Map<String, Object>> all(String path, String query)
      throws CliMain.Failure, IOException, InterruptedException {
    return all(signedIn(), path, query);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> all(PortalCalls calls, String path, String query)
      throws CliMain.Failure, IOException, InterruptedException {
    List<Map<String, Object>> items = new ArrayList<>();
    String cursor = null;
    do {
      String url =
          path + "?limit=" + PAGE + query + (cursor == null ? "" : "&cursor=" + enc(cursor));
      Object page = Json.parse(calls.call("GET", url, null, 200).body());
      if (!(page instanceof Map<?, ?> map) || !(map.get("items") instanceof List<?> list)) {
        throw new CliMain.Failure("unexpected answer from the portal to " + path);
      }
      for (Object o : list) {
        items.add((Map<String, Object>) o);
      }
      cursor = map.get("next") instanceof String next ? next : null;
    } while (cursor != null);
    return items;
  }

  /** --portal/--token (or TETHER_PORTAL/TETHER_TOKEN) when given, else what login stored. */
  Credentials credentials() throws CliMain.Failure, IOException {
    String token = args.option("--token").orElse(env.get("TETHER_TOKEN"));
    String portal = args.option("--portal").orElse(env.get("TETHER_PORTAL"));
    String ca = args.option("--ca").orElse(env.get("TETHER_CA"));
    if (token == null || portal == null) {
      Credentials c =
          Credentials.load(Credentials.file(env))
              .orElseThrow(
                  () ->
                      new PortalCalls.NotSignedIn("not signed in: run tether login --portal URL"));
      token = token == null ? c.token() : token;
      portal = portal == null ? c.portal().toString() : portal;
      ca = ca == null ? c.ca() : ca;
    }
    return new Credentials(CliArgs.portal(portal), token, 0, ca);
  }

  PortalCalls signedIn() throws CliMain.Failure, IOException {
    Credentials c = credentials();
    return PortalCalls.of(c.portal(), c.ca(), Map.of("Authorization", "Bearer " + c.token()));
  }

  /** The device's session in this terminal (its first serial target when none is named). */
  @SuppressWarnings("unchecked")
  int connect(PrintStream err) throws CliMain.Failure, IOException, InterruptedException {
    List<String> names = args.positionals();
    if (names.isEmpty() || names.size() > 2) {
      throw new CliArgs.UsageException("usage: tether connect DEVICE [TARGET]");
    }
    Map<String, Object> device =
        all("/api/devices", "&name=" + enc(names.get(0))).stream()
            .filter(d -> names.get(0).equalsIgnoreCase(String.valueOf(d.get("name"))))
            .findFirst()
            .orElseThrow(
                () -> new CliMain.Failure("no device " + names.get(0) + " that you may see"));
    String target;
    if (names.size() == 2) {
      target = names.get(1);
    } else {
      List<Map<String, Object>> targets =
          device.get("targets") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
      target =
          targets.stream()
              .filter(t -> "serial".equals(t.get("kind")))
              .map(t -> String.valueOf(t.get("name")))
              .findFirst()
              .orElseThrow(
                  () ->
                      new CliArgs.UsageException(
                          device.get("name")
                              + " offers no serial target now: name one, e.g. tether connect "
                              + device.get("name")
                              + " TARGET"));
    }
    PortalCalls calls = signedIn();
    String group = String.valueOf(device.get("group"));
    if (FreshCode.askedFor(calls, group)) {
      FreshCode.present(
          calls,
          args.option("--code-file").map(Path::of),
          "Group " + group + " asks for your second factor again before each session.");
    }
    Credentials c = credentials();
    return Connect.run(c.portal(), c.token(), c.ca(), device, target, err);
  }

  private static String str(Object o) {
    return o == null
        ? "-"
        : o instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : o.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
