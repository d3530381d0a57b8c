package io.tether.alert;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.api.StoredTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The portal's mail as a whole, kept in the database so every node's admin page shows the same: the
 * last mail sent and the last error. An error is logged once, when it differs from the last, so a
 * mail server that is down gives one clear line rather than one per attempt.
 */
@ApplicationScoped
public class MailStatus {
  private static final Logger LOG = Logger.getLogger(MailStatus.class);

  /** The column's size. */
  static final int ERROR_MAX = 512;

  @Inject EntityManager em;

  void sent() {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object> previous =
                  em.createNativeQuery(
                          "update mail_status s set last_sent_at = now(), last_error = null"
                              + " from (select last_error from mail_status where id = 1"
                              + " for update) old where s.id = 1 returning old.last_error")
                      .getResultList();
              if (!previous.isEmpty() && previous.get(0) != null) {
                LOG.info("e-mail: the SMTP server takes mail again");
              }
            });
  }

  void failed(String error) {
    String cut = error.length() <= ERROR_MAX ? error : error.substring(0, ERROR_MAX);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object> previous =
                  em.createNativeQuery(
                          "update mail_status s set last_error = :e, last_error_at = now()"
                              + " from (select last_error from mail_status where id = 1"
                              + " for update) old where s.id = 1 returning old.last_error")
                      .setParameter("e", cut)
                      .getResultList();
              if (previous.isEmpty() || !cut.equals(previous.get(0))) {
                LOG.warnf("e-mail: %s (alerts wait and are tried again)", cut);
              }
            });
  }

  AlertApi.MailView view(MailTransport transport) {
    Object[] row =
        (Object[])
            em.createNativeQuery(
                    "select last_sent_at, last_error, last_error_at from mail_status where id = 1")
                .getSingleResult();
    return new AlertApi.MailView(
        transport.configured(),
        transport.configured() ? transport.describe() : null,
        row[0] == null ? null : StoredTimes.instant(row[0]),
        (String) row[1],
        row[2] == null ? null : StoredTimes.instant(row[2]));
  }
}
