package io.tether.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.CsvCell;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log: browse with filters, export as JSON lines or CSV. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public class AuditResource {
  @Inject CurrentPrincipal current;
  @Inject AuditQuery query;
  @Inject ObjectMapper json;

  /** One audit entry as the API shows it. */
  public record Entry(
      long id,
      Instant at,
      String actor,
      String action,
      String outcome,
      String subject,
      Long deviceId,
      String address,
      String detail) {
    static Entry of(AuditEvent e) {
      return new Entry(
          e.id, e.at, e.actor, e.action, e.outcome, e.subject, e.deviceId, e.address, e.detail);
    }

    /** The same entry with its detail left out (null). */
    public Entry withoutDetail() {
      return new Entry(id, at, actor, action, outcome, subject, deviceId, address, null);
    }
  }

  @GET
  @Operation(summary = "Audit entries, newest first (non-admins: only their own)")
  public Page<Entry> list(
      @QueryParam("actor") String actor,
      @QueryParam("device") Long device,
      @QueryParam("action") String action,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    Principal p = current.require();
    return query
        .page(
            p,
            new AuditQuery.Filter(actor, device, action, from, to),
            PageRequest.of(cursor, limit))
        .map(Entry::of);
  }

  @GET
  @Path("export")
  @Produces({"application/x-ndjson", "text/csv", MediaType.APPLICATION_JSON})
  @Operation(summary = "The whole filtered log as JSON lines (format=jsonl) or CSV (format=csv)")
  public Response export(
      @QueryParam("format") String format,
      @QueryParam("actor") String actor,
      @QueryParam("device") Long device,
      @QueryParam("action") String action,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    Principal p = current.require();
    String kind = format == null ? "jsonl" : format;
    if (!kind.equals("jsonl") && !kind.equals("csv")) {
      throw ApiException.badRequest("format", "format must be jsonl or csv");
    }
    AuditQuery.Filter filter = new AuditQuery.Filter(actor, device, action, from, to);
    query.page(p, filter, PageRequest.of(null, 1)); // validates the filters before streaming
    StreamingOutput body = out -> write(out, p, filter, kind.equals("csv"));
    return Response.ok(body)
        .type(kind.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson")
        .header("Content-Disposition", "attachment; filename=\"tether-audit." + kind + "\"")
        .build();
  }

  private void write(OutputStream out, Principal p, AuditQuery.Filter filter, boolean csv)
      throws IOException {
    if (csv) {
      out.write(
          "id,at,actor,action,outcome,subject,deviceId,address,detail\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    String cursor = null;
    do {
      String after = cursor;
      Page<AuditEvent> page =
          QuarkusTransaction.requiringNew()
              .call(() -> query.page(p, filter, PageRequest.of(after, AuditQuery.EXPORT_CHUNK)));
      for (AuditEvent e : page.items()) {
        String line = csv ? CsvLine.of(Entry.of(e)) : json.writeValueAsString(Entry.of(e));
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      cursor = page.next();
    } while (cursor != null);
  }

  /** One CSV record, quoted per RFC 4180. */
  static final class CsvLine {
    private CsvLine() {}

    static String of(Entry e) {
      return String.join(
          ",",
          q(Long.toString(e.id())),
          q(String.valueOf(e.at())),
          q(e.actor()),
          q(e.action()),
          q(e.outcome()),
          q(e.subject()),
          q(e.deviceId() == null ? "" : e.deviceId().toString()),
          q(e.address()),
          q(e.detail()));
    }

    private static String q(String value) {
      return CsvCell.of(value);
    }
  }
}
