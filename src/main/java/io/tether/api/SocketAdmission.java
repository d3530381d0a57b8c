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

  public <T> void admit(
      RoutingContext ctx,
      Callable<T> checks,
      ToLongFunction<T> userOf,
      SocketQuota.Kind kind,
      BiConsumer<T, SocketQuota.Lease> admitted) {
    HttpServerRequest request = ctx.request();
    request.pause();
    vertx
        .<T>executeBlocking(checks, false)
        .onComplete(
            r -> {
              request.resume();
              if (r.failed()) {
                Problem.send(ctx, r.cause());
                return;
              }
              SocketQuota.Lease lease = quota.acquire(userOf.applyAsLong(r.result()), kind);
              if (lease == null) {
                quota.refuse(ctx, kind);
                return;
              }
              admitted.accept(r.result(), lease);
            });
  }
}
