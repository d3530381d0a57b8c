package io.tether.boot;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One OpenID Connect provider, from the {@code TETHER_OIDC_<NAME>_*} family of variables (README,
 * "Single sign-on"). Their names depend on {@code TETHER_OIDC_PROVIDERS}, so they cannot be static
 * {@link Setting}s or Quarkus properties: they are read and checked here, at boot (one line naming
 * the variable, exit code 2) and again by the portal that uses them.
 *
 * @param name lower-case, as in the URLs ({@code /api/auth/oidc/NAME/login})
 * @param clientSecret empty for a public client (PKCE alone)
 * @param groupsClaim the claim whose values become grants; empty: no grants from the provider
 * @param adminGroup the groups-claim value that makes an admin; empty: the admin flag never comes
 *     from this provider
 * @param mfaAmr {@code amr} values that make a sign-in count as two-factor
 * @param tokenLifetime the longest an API token of a user bound to this provider lives
 */
public record OidcProviderSettings(
    String name,
    URI issuer,
    String clientId,
    Optional<String> clientSecret,
    String displayName,
    List<String> scopes,
    Optional<String> groupsClaim,
    Optional<String> adminGroup,
    boolean autoCreate,
    String usernameClaim,
    Set<String> mfaAmr,
    Duration tokenLifetime) {

  public static final String LIST_VARIABLE = "TETHER_OIDC_PROVIDERS";
  static final String PREFIX = "TETHER_OIDC_";

  /** What a provider's name may be: it is part of variable names and URLs. */
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,31}");

  /** The suffixes a provider's variables may have, each with its default ("" for none). */
  static final Map<String, String> SUFFIXES =
      Map.ofEntries(
          Map.entry("ISSUER", ""),
          Map.entry("CLIENT_ID", ""),
          Map.entry("CLIENT_SECRET", ""),
          Map.entry("CLIENT_SECRET_FILE", ""),
          Map.entry("DISPLAY_NAME", ""),
          Map.entry("SCOPES", "openid profile email"),
          Map.entry("GROUPS_CLAIM", ""),
          Map.entry("ADMIN_GROUP", ""),
          Map.entry("AUTO_CREATE", "false"),
          Map.entry("USERNAME_CLAIM", "preferred_username"),
          Map.entry("MFA_AMR", ""),
          Map.entry("TOKEN_LIFETIME", "30d"));

  /**
   * Path segments of multi-tenant endpoints (Microsoft Entra): any tenant's users could sign in, so
   * the tenant's own issuer must be configured instead.
   */
  static final Set<String> MULTI_TENANT =
      Set.of("common", "organizations", "consumers", "{tenantid}");

  /** The providers {@code env} configures, in the order listed; empty when none are. */
  public static List<OidcProviderSettings> fromEnvironment(Map<String, String> env) {
    List<String> names = names(env.get(LIST_VARIABLE));
    for (String variable : env.keySet()) {
      if (variable.startsWith(PREFIX) && !variable.equals(LIST_VARIABLE)) {
        known(variable, names);
      }
    }
    List<OidcProviderSettings> providers = new ArrayList<>();
    for (String name : names) {
      providers.add(of(name, env));
    }
    return List.copyOf(providers);
  }

  /** The variable of a provider's setting, e.g. {@code TETHER_OIDC_CORP_ISSUER}. */
  public static String variable(String name, String suffix) {
    return PREFIX + name.toUpperCase(Locale.ROOT) + "_" + suffix;
  }

  private static List<String> names(String list) {
    Set<String> names = new LinkedHashSet<>();
    if (list == null || list.isBlank()) {
      return List.of();
    }
    for (String entry : list.split(",")) {
      String name = entry.trim().toLowerCase(Locale.ROOT);
      if (!NAME.matcher(name).matches()) {
        throw new SettingException(
            LIST_VARIABLE,
            "'"
                + entry.trim()
                + "' is not a provider name (a letter, then letters and digits, at most 32)");
      }
      if (!names.add(name)) {
        throw new SettingException(LIST_VARIABLE, "names '" + name + "' twice");
      }
    }
    return List.copyOf(names);
  }

  /** A typo in a provider's variable would silently drop a setting: refuse unknown ones. */
  private static void known(String variable, List<String> names) {
    for (String name : names) {
      String prefix = PREFIX + name.toUpperCase(Locale.ROOT) + "_";
      if (variable.startsWith(prefix)) {
        if (SUFFIXES.containsKey(variable.substring(prefix.length()))) {
          return;
        }
        throw new SettingException(
            variable,
            "is not a setting of provider '"
                + name
                + "' (known: "
                + String.join(", ", SUFFIXES.keySet().stream().sorted().toList())
                + ")");
      }
    }
    throw new SettingException(
        variable, "names a provider that " + LIST_VARIABLE + " does not list");
  }

  private static OidcProviderSettings of(String name, Map<String, String> env) {
    String issuerVariable = variable(name, "ISSUER");
    URI issuer = issuer(issuerVariable, required(env, name, "ISSUER"));
    String clientId = required(env, name, "CLIENT_ID");
    Optional<String> secret = value(env, name, "CLIENT_SECRET");
    Optional<String> secretFile = value(env, name, "CLIENT_SECRET_FILE");
    if (secret.isPresent() && secretFile.isPresent()) {
      throw new SettingException(
          variable(name, "CLIENT_SECRET_FILE"),
          "is set together with " + variable(name, "CLIENT_SECRET") + ": set one of them");
    }
    if (secretFile.isPresent()) {
      secret = Optional.of(readSecret(variable(name, "CLIENT_SECRET_FILE"), secretFile.get()));
    }
    List<String> scopes = List.of(value(env, name, "SCOPES").orElseThrow().split("[\\s,]+"));
    if (!scopes.contains("openid")) {
      throw new SettingException(
          variable(name, "SCOPES"), "must include 'openid' (an ID token is what signs in)");
    }
    if (value(env, name, "ADMIN_GROUP").isPresent() && value(env, name, "GROUPS_CLAIM").isEmpty()) {
      throw new SettingException(
          variable(name, "ADMIN_GROUP"),
          "needs " + variable(name, "GROUPS_CLAIM") + ": the admin value is read from that claim");
    }
    String autoCreate = value(env, name, "AUTO_CREATE").orElseThrow();
    SettingChecks.trueFalse(variable(name, "AUTO_CREATE"), autoCreate);
    String lifetime = value(env, name, "TOKEN_LIFETIME").orElseThrow();
    SettingChecks.positiveDuration(variable(name, "TOKEN_LIFETIME"), lifetime);
    Set<String> amr = new LinkedHashSet<>();
    value(env, name, "MFA_AMR")
        .ifPresent(
            v -> {
              for (String s : v.split(",")) {
                if (!s.isBlank()) {
                  amr.add(s.trim());
                }
              }
            });
    return new OidcProviderSettings(
        name,
        issuer,
        clientId,
        secret,
        value(env, name, "DISPLAY_NAME").orElse(name),
        scopes,
        value(env, name, "GROUPS_CLAIM"),
        value(env, name, "ADMIN_GROUP"),
        Boolean.parseBoolean(autoCreate),
        value(env, name, "USERNAME_CLAIM").orElseThrow(),
        Set.copyOf(amr),
        Durations.parse(lifetime));
  }

  /**
   * An issuer is an https URL (http only on loopback, for tests), without query or fragment, and
   * never a multi-tenant endpoint.
   */
  static URI issuer(String variable, String value) {
    SettingChecks.httpUrl(variable, value);
    URI uri = URI.create(value);
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new SettingException(variable, "'" + value + "' must not have a query or fragment");
    }
    if ("http".equalsIgnoreCase(uri.getScheme()) && !loopback(uri.getHost())) {
      throw new SettingException(
          variable, "'" + value + "' is plain http: an issuer is reached over https");
    }
    for (String segment : uri.getPath().split("/")) {
      if (MULTI_TENANT.contains(segment.toLowerCase(Locale.ROOT))) {
        throw new SettingException(
            variable,
            "'"
                + value
                + "' is a multi-tenant endpoint ('"
                + segment
                + "'): any tenant's users could sign in; configure your tenant's own issuer"
                + " (https://login.microsoftonline.com/<tenant id>/v2.0)");
      }
    }
    return uri;
  }

  /** Never prints the client secret (the record's own toString would). */
  @Override
  public String toString() {
    return "OidcProviderSettings[" + name + " " + issuer + " client " + clientId + "]";
  }

  private static boolean loopback(String host) {
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
  }

  private static String readSecret(String variable, String file) {
    Path path = Path.of(file);
    if (!path.isAbsolute()) {
      throw new SettingException(variable, "'" + file + "' is not an absolute path");
    }
    SettingChecks.readableFile(variable, file);
    try {
      String secret = Files.readString(path).strip();
      if (secret.isEmpty()) {
        throw new SettingException(variable, file + " is empty");
      }
      return secret;
    } catch (IOException e) {
      throw new SettingException(variable, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String required(Map<String, String> env, String name, String suffix) {
    return value(env, name, suffix)
        .orElseThrow(
            () ->
                new SettingException(
                    variable(name, suffix),
                    "is needed: provider '" + name + "' is listed in " + LIST_VARIABLE));
  }

  private static Optional<String> value(Map<String, String> env, String name, String suffix) {
    String v = env.get(variable(name, suffix));
    if (v != null && !v.isBlank()) {
      return Optional.of(v.trim());
    }
    String fallback = SUFFIXES.get(suffix);
    return fallback.isEmpty() ? Optional.empty() : Optional.of(fallback);
  }
}
