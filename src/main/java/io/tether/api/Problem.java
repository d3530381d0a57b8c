package io.tether.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.db.DatabaseAway;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem details body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {
  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(int status, String detail, String field) {
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known != null ? known.getReasonPhrase() : titleFor(status);
    return new Problem("about:blank", title, status, detail, field);
  }

  /** The problem an {@link ApiException} answers, of its own type and title when it has them. */
  public static Problem of(ApiException e) {
    Problem plain = of(e.status(), e.getMessage(), e.field());
    return e.type() == null
        ? plain
        : new Problem(e.type(), e.title(), plain.status(), plain.detail(), plain.field());
  }

  private static String titleFor(int status) {
    return status == 429 ? "Too Many Requests" : "Error";
  }

  /** Answers a raw Vert.x route (the socket endpoints) with this problem. */
  public void send(io.vertx.ext.web.RoutingContext ctx) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", MEDIA_TYPE)
        .end(io.vertx.core.json.Json.encode(this));
  }

  /** Answers a raw Vert.x route with a problem of this status and detail. */
  public static void send(io.vertx.ext.web.RoutingContext ctx, int status, String detail) {
    of(status, detail, null).send(ctx);
  }

  /**
   * What a request the database could not take answers (a PostgreSQL restart, or a pooled
   * connection that died with it): 503, worth trying again after {@link
   * #DATABASE_AWAY_RETRY_AFTER_SECONDS}, rather than a bare 500.
   */
  public static Problem databaseAway() {
    return of(503, "the database is not reachable; try again shortly", null);
  }

  /** The {@code Retry-After} of {@link #databaseAway()}: a restart takes about a second. */
  public static final long DATABASE_AWAY_RETRY_AFTER_SECONDS = 1;

  /**
   * Answers a raw Vert.x route with a failed check: its own status and detail, 503 when the
   * database is away, or a bare 500.
   */
  public static void send(io.vertx.ext.web.RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiException api) {
      of(api).send(ctx);
    } else if (DatabaseAway.in(failure)) {
      ctx.response().putHeader("Retry-After", Long.toString(DATABASE_AWAY_RETRY_AFTER_SECONDS));
      databaseAway().send(ctx);
    } else {
      send(ctx, 500, "internal error");
    }
  }

  public Response toResponse() {
    return Response.status(status).type(MEDIA_TYPE).entity(this).build();
  }
}
