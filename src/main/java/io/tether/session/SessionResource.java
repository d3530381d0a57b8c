package io.tether.session;

import io.tether.access.AccessPolicy;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import io.tether.api.StoredTimes;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.cluster.ClusterEvents;
import io.tether.device.Device;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sessions: who used which device target when, live or ended; their recordings. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionResource {
  @Inject CurrentPrincipal current;
  @Inject SessionQuery query;
  @Inject SessionHubs hubs;
  @Inject SessionRows rows;
  @Inject ForwardSessions forwards;
  @Inject AccessPolicy policy;
  @Inject RecordingExport export;
  @Inject AuditLog audit;
  @Inject ClusterEvents cluster;

  @GET
  @Operation(summary = "Sessions on devices the caller may see, newest first")
  public Page<SessionApi.SessionView> list(
      @QueryParam("live") Boolean live,
      @QueryParam("device") Long device,
      @QueryParam("user") String user,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    Principal p = current.require();
    return query.list(
        p,
        new SessionQuery.Filter(
            live,
            device,
            blankToNull(user),
            StoredTimes.parseQuery("from", from),
            StoredTimes.parseQuery("to", to)),
        PageRequest.of(cursor, limit));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One session with its participants")
  public SessionApi.SessionView get(@PathParam("id") long id) {
    return query.get(current.require(), id);
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "End a live session (admins)")
  public Response end(@PathParam("id") long id) throws SQLException {
    Principal admin = current.requireAdmin();
    SessionApi.SessionView s = query.get(admin, id);
    if (!"live".equals(s.state())) {
      throw ApiException.conflict(
          "id", "session " + id + " already ended (" + s.closeReason() + ")");
    }
    String detail = "ended by admin " + admin.username();
    if (!hubs.end(id, CloseReasons.ENDED_BY_ADMIN, detail)
        && !forwards.end(id, CloseReasons.ENDED_BY_ADMIN, detail)) {
      Optional<String> holder = rows.otherHolder(id);
      if (holder.isEmpty()
          || !cluster.requestSessionEnd(id, holder.get(), CloseReasons.ENDED_BY_ADMIN, detail)) {
        rows.endOrphan(id, CloseReasons.ENDED_BY_ADMIN); // no node holds it: close the row
      }
    }
    audit.recordAlone(
        Audit.by(admin, current.address())
            .action("session.end")
            .subject(s.device().name() + "/" + s.target())
            .device(s.device().id())
            .detail("session " + id));
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/recording")
  @Produces({
    "application/octet-stream",
    "application/x-asciicast",
    "text/plain",
    "application/json"
  })
  @Operation(summary = "Export a session's recording: raw bytes, asciicast v2 or a transcript")
  public Response recording(@PathParam("id") long id, @QueryParam("format") String format)
      throws SQLException {
    Principal p = current.require();
    RecordingExport.Format f = format(format);
    RecordingExport.Source src = source(p, id);
    if ("off".equals(src.policy()) || !export.exists(id)) {
      throw ApiException.notFound(
          "off".equals(src.policy())
              ? "session " + id + " has no recording: its device group's recording policy was off"
              : "session "
                  + id
                  + " has no recording: nothing was recorded yet, or it was deleted after the"
                  + " retention period");
    }
    StreamingOutput body = out -> export.write(src, f, out);
    return Response.ok(body, f.mediaType)
        .header(
            "Content-Disposition",
            "attachment; filename=\"session-" + id + "." + f.extension + "\"")
        .build();
  }

  RecordingExport.Source source(Principal p, long id) {
    Object[] row = query.find(p, id);
    SessionRecord s = (SessionRecord) row[0];
    Device d = (Device) row[1];
    if (!policy.mayReplay(p, d.group.id)) {
      throw ApiException.forbidden(
          "replaying recordings needs the replay right on group '" + d.group.name + "'");
    }
    return new RecordingExport.Source(
        s.id, s.recording, d.encoding, s.startedAt.getEpochSecond(), d.name + "/" + s.target);
  }

  private static RecordingExport.Format format(String value) {
    String v = value == null ? "raw" : value.toLowerCase(Locale.ROOT);
    return switch (v) {
      case "raw" -> RecordingExport.Format.RAW;
      case "cast" -> RecordingExport.Format.CAST;
      case "text" -> RecordingExport.Format.TEXT;
      default -> throw ApiException.badRequest("format", "format must be raw, cast or text");
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
