package io.tether.webhook;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The addresses of the cluster's nodes (their internal URLs in {@code portal_node}, resolved): a
 * webhook is never sent to another node's internal listener, whose routes trust node-to-node
 * requests. Read again at most every {@link #FRESH_FOR}; on one node the table is empty.
 */
@ApplicationScoped
public class NodeAddresses {
  private static final Logger LOG = Logger.getLogger(NodeAddresses.class);

  /** How long the resolved set is used before the table is read again. */
  static final Duration FRESH_FOR = Duration.ofSeconds(30);

  @Inject EntityManager em;

  private volatile Set<InetAddress> addresses = Set.of();
  private volatile long readAt = System.nanoTime() - FRESH_FOR.toNanos();

  public boolean contains(InetAddress address) {
    if (System.nanoTime() - readAt >= FRESH_FOR.toNanos()) {
      refresh();
    }
    return addresses.contains(address);
  }

  /** The table is read at the next question (a node joined: tests, and nothing else). */
  void forget() {
    readAt = System.nanoTime() - FRESH_FOR.toNanos();
  }

  private synchronized void refresh() {
    if (System.nanoTime() - readAt < FRESH_FOR.toNanos()) {
      return;
    }
    Set<InetAddress> resolved = new HashSet<>();
    try {
      @SuppressWarnings("unchecked")
      List<String> urls =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      em.createNativeQuery(
                              "select url from portal_node where state in ('live', 'draining')")
                          .getResultList());
      for (String url : urls) {
        String host = URI.create(url).getHost();
        if (host != null) {
          try {
            resolved.addAll(List.of(InetAddress.getAllByName(host)));
          } catch (UnknownHostException e) {
            // a node whose name does not resolve here cannot be reached from here either
          }
        }
      }
      addresses = Set.copyOf(resolved);
    } catch (RuntimeException e) {
      LOG.warnf("node addresses not read (the last ones stay in use): %s", e.toString());
    }
    readAt = System.nanoTime();
  }
}
