package io.tether.webhook;

import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.DeviceGroup;
import io.tether.net.IpLiteral;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Endpoints' rules: what a URL and a filter may be, secrets and their rotation, audit. */
@ApplicationScoped
public class WebhookService {
  /** How long the secret before a rotation keeps signing, so receivers can switch over. */
  static final Duration ROTATION_GRACE = Duration.ofHours(24);

  static final int URL_MAX = 2048;

  @Inject WebhookSecrets secrets;
  @Inject AuditLog audit;
  @Inject WebhookDispatcher dispatcher;

  public record Issued(Webhook webhook, String secret) {}

  @Transactional
  public Issued create(Principal admin, String address, WebhookApi.NewWebhook body) {
    Webhook w = new Webhook();
    w.url = checkedUrl(body.url());
    w.events = checkedEvents(body.events());
    w.groupIds = groupIds(body.groups());
    w.enabled = body.enabled() == null || body.enabled();
    String secret = secrets.generate();
    w.secretSealed = secrets.seal(secret);
    w.persist();
    audit.record(
        Audit.by(admin, address)
            .action("webhook.create")
            .subject(w.url)
            .detail("webhook " + w.id + ": " + String.join(",", w.events)));
    return new Issued(w, secret);
  }

  public List<Webhook> list() {
    return Webhook.listAll(io.quarkus.panache.common.Sort.by("id"));
  }

  public Webhook get(long id) {
    Webhook w = Webhook.findById(id);
    if (w == null) {
      throw ApiException.notFound("no webhook " + id);
    }
    return w;
  }

  @Transactional
  public Webhook update(Principal admin, String address, long id, WebhookApi.WebhookPatch patch) {
    Webhook w = get(id);
    if (patch.url() != null) {
      w.url = checkedUrl(patch.url());
    }
    if (patch.events() != null) {
      w.events = checkedEvents(patch.events());
    }
    if (patch.groups() != null) {
      w.groupIds = groupIds(patch.groups());
    }
    if (patch.enabled() != null) {
      w.enabled = patch.enabled();
      w.disabledReason = null;
      w.failingSince = null; // re-enabled: three days afresh
    }
    audit.record(
        Audit.by(admin, address)
            .action("webhook.update")
            .subject(w.url)
            .detail("webhook " + w.id + (w.enabled ? ", enabled" : ", disabled")));
    return w;
  }

  @Transactional
  public void delete(Principal admin, String address, long id) {
    Webhook w = get(id);
    w.delete();
    audit.record(
        Audit.by(admin, address).action("webhook.delete").subject(w.url).detail("webhook " + w.id));
  }

  /** A new secret; the current one keeps signing too for {@link #ROTATION_GRACE}. */
  @Transactional
  public WebhookApi.Rotated rotate(Principal admin, String address, long id) {
    Webhook w = get(id);
    String secret = secrets.generate();
    w.oldSecretSealed = w.secretSealed;
    w.oldSecretUntil = Instant.now().plus(ROTATION_GRACE);
    w.secretSealed = secrets.seal(secret);
    audit.record(
        Audit.by(admin, address)
            .action("webhook.rotate-secret")
            .subject(w.url)
            .detail("webhook " + w.id + ": the previous secret signs until " + w.oldSecretUntil));
    return new WebhookApi.Rotated(secret, w.oldSecretUntil);
  }

  public WebhookApi.WebhookView view(Webhook w) {
    List<String> groups =
        w.groupIds.length == 0
            ? List.of()
            : DeviceGroup.<DeviceGroup>list("id in ?1", Arrays.asList(w.groupIds)).stream()
                .map(g -> g.name)
                .sorted()
                .toList();
    boolean grace = w.oldSecretUntil != null && Instant.now().isBefore(w.oldSecretUntil);
    return new WebhookApi.WebhookView(
        w.id,
        w.url,
        List.of(w.events),
        groups,
        w.enabled,
        w.disabledReason,
        w.createdAt,
        grace ? w.oldSecretUntil : null);
  }

  /** http(s) with a host; a literal address must pass the address guard. */
  String checkedUrl(String value) {
    if (value == null || value.isBlank() || value.length() > URL_MAX) {
      throw ApiException.badRequest("url", "an http:// or https:// URL of at most 2048 characters");
    }
    URI url;
    try {
      url = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw ApiException.badRequest("url", "not a URL: " + e.getMessage());
    }
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null
        || url.getRawUserInfo() != null) {
      throw ApiException.badRequest(
          "url", "'" + value + "' is not an http:// or https:// URL with a host (and no user)");
    }
    String host = url.getHost().replaceAll("^\\[|\\]$", "");
    if (IpLiteral.isLiteral(host)) {
      dispatcher
          .guard()
          .refusal(IpLiteral.parse(host))
          .ifPresent(
              reason -> {
                throw ApiException.badRequest("url", "webhooks are not sent there: " + reason);
              });
    }
    return url.toString();
  }

  static String[] checkedEvents(List<String> events) {
    if (events == null || events.isEmpty()) {
      throw ApiException.badRequest("events", "name at least one event type (or *)");
    }
    for (String e : events) {
      String problem = EventFilter.problem(e);
      if (problem != null) {
        throw ApiException.badRequest("events", problem);
      }
    }
    return events.stream().distinct().toArray(String[]::new);
  }

  static Long[] groupIds(List<String> names) {
    if (names == null) {
      return new Long[0];
    }
    return names.stream()
        .distinct()
        .map(
            n ->
                DeviceGroup.<DeviceGroup>find("name", n)
                    .firstResultOptional()
                    .orElseThrow(
                        () -> ApiException.badRequest("groups", "no group named '" + n + "'"))
                    .id)
        .toArray(Long[]::new);
  }
}
