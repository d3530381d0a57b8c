package io.tether.device;

import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.CsvCell;
import io.tether.api.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admins register many devices at once from a CSV file (docs/api.md, "CSV import"). */
@Path("/api/devices/import")
@Tag(name = "devices")
public class DeviceImportResource {
  public static final String CSV = "text/csv";

  /** The file name a browser saves the answer's tokens under. */
  static final String TOKENS_FILE = "tether-device-tokens.csv";

  @Inject CurrentPrincipal current;
  @Inject DeviceImport imports;

  /** A refused import: problem JSON with every row's problem. */
  public record RefusedImport(
      String type,
      String title,
      int status,
      String detail,
      int rows,
      int valid,
      List<DeviceImport.RowProblem> problems) {}

  // Any Content-Type is taken in, so that credentials are checked before the type: a request
  // without them is 401/403 whatever it sends, and a wrong type is a problem JSON 415.
  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, CSV})
  @Operation(
      summary =
          "Check (dryRun=true) or import (dryRun=false) devices from a CSV file; an import creates"
              + " every row or none and answers each device's token as CSV, shown only this once")
  public Response importCsv(
      @QueryParam("dryRun") Boolean dryRun,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      InputStream body)
      throws IOException {
    Principal admin = current.requireAdmin();
    if (contentType == null
        || !MediaType.valueOf(contentType).isCompatible(MediaType.valueOf(CSV))) {
      throw new ApiException(415, "send the file as Content-Type: text/csv (UTF-8)", null, null);
    }
    if (dryRun == null) {
      throw ApiException.badRequest(
          "dryRun", "dryRun: true checks the file and creates nothing, false imports it");
    }
    byte[] bytes = body.readNBytes(DeviceImport.MAX_BYTES + 1);
    if (bytes.length > DeviceImport.MAX_BYTES) {
      throw new ApiException(413, "the file is larger than 1 MiB: split it", null, null);
    }
    List<DeviceImport.Row> rows = imports.rows(bytes);
    if (dryRun) {
      return Response.ok(imports.check(rows), MediaType.APPLICATION_JSON).build();
    }
    try {
      List<DeviceService.Created> created = imports.importAll(admin, current.address(), rows);
      return Response.status(Response.Status.CREATED)
          .type(CSV + "; charset=utf-8")
          .header("Content-Disposition", "attachment; filename=\"" + TOKENS_FILE + "\"")
          .header("Cache-Control", "no-store")
          .entity(tokens(created))
          .build();
    } catch (DeviceImport.Refused refused) {
      DeviceImport.Check check = refused.check;
      Problem p = Problem.of(400, refused.getMessage(), null);
      return Response.status(400)
          .type(Problem.MEDIA_TYPE)
          .entity(
              new RefusedImport(
                  p.type(),
                  p.title(),
                  400,
                  p.detail(),
                  check.rows(),
                  check.valid(),
                  check.problems()))
          .build();
    }
  }

  /**
   * The answer's CSV: name, id and token of each device. Cells go through {@link CsvCell}: a name
   * may start with '-' (names are [A-Za-z0-9_.-]), which then gets a leading ' like any cell a
   * spreadsheet could take for a formula; ids and tokens (tdv_…) never do.
   */
  static String tokens(List<DeviceService.Created> created) {
    StringBuilder out = new StringBuilder("name,id,token\r\n");
    for (DeviceService.Created c : created) {
      out.append(CsvCell.of(c.device().name))
          .append(',')
          .append(CsvCell.of(c.device().id.toString()))
          .append(',')
          .append(CsvCell.of(c.token()))
          .append("\r\n");
    }
    return out.toString();
  }
}
