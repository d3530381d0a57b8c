package io.tether.web;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Deep links of the single-page app: a page navigation to /devices/42 gets index.html, and the
 * app's router shows the page. It runs before Quarkus REST, whose catch-all 404 would answer first,
 * so it only ever takes GET/HEAD asking for HTML, outside /api, /q and /tunnel, and without a file
 * extension (real files such as /assets/*.js and /favicon.svg go on to the static handler).
 */
@ApplicationScoped
public class SpaFallback {
  static final String INDEX = "META-INF/resources/index.html";

  /** Never the app: the API, Quarkus' endpoints (/q/health) and the agents' tunnel. */
  private static final List<String> NOT_APP = List.of("/api", "/q", "/tunnel");

  /** The built index.html; null when the UI was not built into this jar. */
  private Buffer index;

  void register(@Observes Router router) {
    index = load();
    router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    Buffer page = index;
    if (page == null
        || !wantsApp(method.name(), ctx.request().path(), ctx.request().getHeader("Accept"))) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8");
    if (method == HttpMethod.HEAD) {
      ctx.response().putHeader("Content-Length", Integer.toString(page.length())).end();
    } else {
      ctx.response().end(page);
    }
  }

  /** A page navigation to a path of the app (no file extension, not a reserved prefix). */
  static boolean wantsApp(String method, String path, String accept) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return false;
    }
    if (path == null || !path.startsWith("/") || accept == null || !accept.contains("text/html")) {
      return false;
    }
    for (String prefix : NOT_APP) {
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return false;
      }
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    return !last.contains(".");
  }

  private static Buffer load() {
    try (InputStream in = SpaFallback.class.getClassLoader().getResourceAsStream(INDEX)) {
      return in == null ? null : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
