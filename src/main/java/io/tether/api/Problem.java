package io.tether.api;

import com.fasterxml.jackson.annotation.JsonInclude;
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

  /** Answers a raw Vert.x route with a failed check: its own status and detail, or a bare 500. */
  public static void send(io.vertx.ext.web.RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiException api) {
      send(ctx, api.status(), api.getMessage());
    } else {
      send(ctx, 500, "internal error");
    }
  }

  public Response toResponse() {
    return Response.status(status).type(MEDIA_TYPE).entity(this).build();
  }
}
