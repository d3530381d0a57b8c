package io.tether.alert;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.tether.webhook.WebhookDisabled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Tells every admin with a confirmed address what the portal did on its own that needs them: an
 * endpoint it disabled. Mailed on a thread of its own after the change commits (the webhook sender
 * is never held by a slow mail server); without mail the audit entry and the admin page say it.
 */
@ApplicationScoped
public class AdminNotices {
  private static final Logger LOG = Logger.getLogger(AdminNotices.class);

  @Inject EntityManager em;
  @Inject MailTransport transport;
  @Inject MailStatus status;
  @Inject PortalLinks links;

  private final ExecutorService mailer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "tether-admin-notices");
            t.setDaemon(true);
            return t;
          });

  void onDisabled(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookDisabled disabled) {
    if (!transport.configured()) {
      return;
    }
    mailer.execute(
        () ->
            tell(
                "[Tether] Webhook disabled: " + disabled.url(),
                "The portal disabled the webhook endpoint "
                    + disabled.url()
                    + ":\n"
                    + disabled.reason()
                    + "\n\nEnable it again once the receiver works: "
                    + links.base()
                    + "/admin/webhooks\n"));
  }

  void onStop(@Observes ShutdownEvent event) {
    mailer.shutdownNow();
  }

  private void tell(String subject, String text) {
    for (String to : adminAddresses()) {
      try {
        transport.send(to, subject, text);
        status.sent();
      } catch (MailFailure e) {
        status.failed(e.getMessage());
      } catch (RuntimeException e) {
        LOG.warnf("admin notice to %s not sent: %s", to, e.toString());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private List<String> adminAddresses() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                (List<String>)
                    em.createNativeQuery(
                            "select e.email from user_emails e join users u on u.id = e.user_id"
                                + " where u.admin and not u.disabled"
                                + " and e.confirmed_at is not null order by u.id")
                        .getResultList());
  }
}
