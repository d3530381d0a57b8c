package io.tether.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * What every long-lived socket entry does before its upgrade: its checks run off the event loop
 * with the request paused, a refusal answers problem JSON, and an admitted user takes a place in
 * their {@link SocketQuota} (given back by whoever ends the socket).
 */
@ApplicationScoped
public class SocketAdmission {
  @Inject Vertx vertx;
  @Inject SocketQuota quota;

  /**
   * Runs {@code checks} and takes the user's place of {@code kind} off the event loop (in a cluster
   * the quota asks the database), then hands both to {@code admitted}; {@code kind} null: a socket
   * relayed from the node that counted it takes no place here.
   */
  public <T> void admit(
      RoutingContext ctx,
      Callable<T> checks,
      ToLongFunction<T> userOf,
      SocketQuota.Kind kind,
      BiConsumer<T, SocketQuota.Lease> admitted) {
    HttpServerRequest request = ctx.request();
    request.pause();
    vertx
        .executeBlocking(
            () -> {
              T checked = checks.call();
              return new Admitted<>(
                  checked,
                  kind == null
                      ? quota.relayed()
                      : quota.acquire(userOf.applyAsLong(checked), kind));
            },
            false)
        .onComplete(
            r -> {
              request.resume();
              if (r.failed()) {
                Problem.send(ctx, r.cause());
              } else if (r.result().lease() == null) {
                quota.refuse(ctx, kind);
              } else {
                admitted.accept(r.result().checked(), r.result().lease());
              }
            });
  }

  private record Admitted<T>(T checked, SocketQuota.Lease lease) {}
}
