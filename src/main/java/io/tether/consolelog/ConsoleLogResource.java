package io.tether.consolelog;

import io.tether.access.AccessPolicy;
import io.tether.access.Action;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.StoredTimes;
import io.tether.device.Device;
import io.tether.device.DeviceAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Reading a target's console log: by time, searched, as text or raw bytes, or its last lines. */
@Path("/api/devices/{id}/targets/{target}/log")
@Tag(name = "devices")
public class ConsoleLogResource {
  @Inject CurrentPrincipal current;
  @Inject DeviceAccess access;
  @Inject AccessPolicy policy;
  @Inject LogReader reader;

  /** A page of the log: lines and markers, and the cursor of the next page (null: the end). */
  public record LogView(
      long device,
      String target,
      String encoding,
      boolean logging,
      List<LogReader.Item> items,
      String next) {}

  @GET
  @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
  @Operation(
      summary =
          "A target's console log: json (lines with times, a page), text (every line, for"
              + " download) or raw (the bytes, replay right); q searches, tail gives the last lines")
  public Response read(
      @PathParam("id") long id,
      @PathParam("target") String target,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("format") String format,
      @QueryParam("q") String q,
      @QueryParam("regex") boolean regex,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor,
      @QueryParam("tail") Integer tail)
      throws SQLException {
    Principal p = current.require();
    Device device = access.require(p, Action.VIEW, id);
    Instant start = orDefault(StoredTimes.parseQuery("from", from), Instant.EPOCH);
    Instant end = orDefault(StoredTimes.parseQuery("to", to), StoredTimes.MAX);
    String f = format == null ? "json" : format;
    switch (f) {
      case "json" -> {
        if (tail != null) {
          int n = bounded("tail", tail);
          List<LogReader.Item> items = reader.tail(id, target, device.encoding, end, n);
          return Response.ok(view(device, target, items, null))
              .type(MediaType.APPLICATION_JSON)
              .build();
        }
        LogReader.Page page =
            reader.page(
                new LogReader.Query(
                    id,
                    target,
                    device.encoding,
                    start,
                    end,
                    cursor(cursor),
                    match(q, regex),
                    limit == null ? LogReader.DEFAULT_LINES : bounded("limit", limit)));
        return Response.ok(
                view(
                    device,
                    target,
                    page.items(),
                    page.next() == null ? null : page.next().toString()))
            .type(MediaType.APPLICATION_JSON)
            .build();
      }
      case "text" -> {
        Predicate<String> match = match(q, regex);
        StreamingOutput body = out -> text(device, target, start, end, match, out);
        return Response.ok(body)
            .type(MediaType.TEXT_PLAIN + ";charset=utf-8")
            .header(
                "Content-Disposition",
                "attachment; filename=\"" + fileName(device, target, "log") + "\"")
            .build();
      }
      case "raw" -> {
        if (!policy.mayReplay(p, device.group.id)) {
          throw ApiException.forbidden(
              "format=raw needs the replay right on group '" + device.group.name + "': use text");
        }
        StreamingOutput body = out -> raw(id, target, start, end, out);
        return Response.ok(body)
            .type(MediaType.APPLICATION_OCTET_STREAM)
            .header(
                "Content-Disposition",
                "attachment; filename=\"" + fileName(device, target, "bin") + "\"")
            .build();
      }
      default -> throw ApiException.badRequest("format", "format must be json, text or raw");
    }
  }

  private LogView view(Device d, String target, List<LogReader.Item> items, String next) {
    return new LogView(d.id, target, d.encoding, d.logged(target), items, next);
  }

  private void text(
      Device d,
      String target,
      Instant from,
      Instant to,
      Predicate<String> match,
      java.io.OutputStream out)
      throws java.io.IOException {
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    LogReader.Cursor at = null;
    try {
      do {
        LogReader.Page page =
            reader.page(
                new LogReader.Query(
                    d.id, target, d.encoding, from, to, at, match, LogReader.MAX_LINES));
        for (LogReader.Item i : page.items()) {
          w.write(i.at().toString());
          w.write(i.text() != null ? "  " + i.text() : "  --- " + i.marker() + " ---");
          w.write('\n');
        }
        at = page.next();
      } while (at != null);
    } catch (SQLException e) {
      w.write("--- the log could not be read further: the database did not answer ---\n");
    }
    w.flush();
  }

  private void raw(long id, String target, Instant from, Instant to, java.io.OutputStream out)
      throws java.io.IOException {
    try {
      reader.raw(id, target, from, to, out);
    } catch (SQLException e) {
      throw new java.io.IOException("the database did not answer", e);
    }
  }

  private static String fileName(Device d, String target, String ext) {
    return (d.name + "-" + target).replaceAll("[^A-Za-z0-9_.-]", "_") + "." + ext;
  }

  private static Instant orDefault(Instant t, Instant otherwise) {
    return t == null ? otherwise : t;
  }

  private static int bounded(String field, int n) {
    if (n < 1 || n > LogReader.MAX_LINES) {
      throw ApiException.badRequest(field, field + " must be between 1 and " + LogReader.MAX_LINES);
    }
    return n;
  }

  private static LogReader.Cursor cursor(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      return LogReader.Cursor.parse(cursor);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("cursor", e.getMessage());
    }
  }

  /** The lines a search keeps: a plain text ignoring case, or a linear-time regular expression. */
  static Predicate<String> match(String q, boolean regex) {
    if (q == null || q.isEmpty()) {
      return null;
    }
    if (regex) {
      try {
        RulePattern p = RulePattern.compile(q); // the rules' bounds: linear time, bounded size
        return p::foundIn;
      } catch (RulePattern.Invalid e) {
        throw ApiException.badRequest(
            "q", "q" + e.getMessage().substring(e.getMessage().indexOf(':')));
      }
    }
    String needle = q.toLowerCase(Locale.ROOT);
    return line -> line.toLowerCase(Locale.ROOT).contains(needle);
  }
}
