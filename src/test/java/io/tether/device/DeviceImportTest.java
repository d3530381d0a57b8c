package io.tether.device;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tether.api.CsvReader;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Admins check a CSV file of devices, then import it: every row or none. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class DeviceImportTest {
  @Inject DeviceCredentials credentials;

  private static Response send(ApiClient admin, String csv, boolean dryRun) {
    return admin
        .cookie()
        .contentType("text/csv; charset=utf-8")
        .queryParam("dryRun", dryRun)
        .body(csv.getBytes(StandardCharsets.UTF_8))
        .post("/api/devices/import");
  }

  /** The live devices whose name contains {@code part}, by name. */
  private static Map<String, Map<String, Object>> devicesNamed(ApiClient admin, String part) {
    List<Map<String, Object>> items =
        expect(200, admin.cookie().queryParam("name", part).get("/api/devices"), "GET /api/devices")
            .jsonPath()
            .getList("items");
    return items.stream().collect(Collectors.toMap(d -> (String) d.get("name"), d -> d));
  }

  /** "row field" of each problem, in order. */
  private static List<String> problems(JsonPath answer) {
    List<Map<String, Object>> problems = answer.getList("problems");
    return problems.stream().map(p -> p.get("row") + " " + p.get("field")).toList();
  }

  /**
   * A file as a spreadsheet saves it (byte-order mark, CRLF, columns in its own order, a quoted
   * description with a comma, quotes and a line break); row 2 names a group that does not exist and
   * row 4 repeats row 1's name in other case.
   */
  private static String fileWithTwoBadRows(String p, String group) {
    return "\uFEFFtags,name,group,description,encoding\r\n"
        + "x y;z,"
        + p
        + "-one,"
        + group
        + ",\"hall 3, rack \"\"7\"\"\r\nsecond line\",\r\n"
        + ","
        + p
        + "-two,no-such-group-"
        + p
        + ",,\r\n"
        + "\r\n"
        + ","
        + p
        + "-three,"
        + group
        + ",,latin-1\r\n"
        + ","
        + p.toUpperCase(Locale.ROOT)
        + "-ONE,"
        + group
        + ",,\r\n";
  }

  @Test
  void aDryRunNamesTheTwoBadRowsTheImportCreatesAllOrNothingAndEveryTokenWorks() {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    expect(
        200,
        admin
            .cookie()
            .body(Map.of("defaultEncoding", "cp437", "defaultTags", List.of("site-a")))
            .patch("/api/groups/" + admin.groupId(group)),
        "PATCH group defaults");
    String p = ApiClient.unique("imp");
    String bad = fileWithTwoBadRows(p, group);

    JsonPath dry = expect(200, send(admin, bad, true), "dry run").jsonPath();
    assertEquals(List.of("2 group", "4 name"), problems(dry), "problems: " + dry.prettify());
    assertEquals(4, dry.getInt("rows"));
    assertEquals(2, dry.getInt("valid"));
    assertEquals(p + "-two", dry.getString("problems[0].name"));
    assertEquals("no group named 'no-such-group-" + p + "'", dry.getString("problems[0].detail"));
    assertEquals(4, dry.getInt("problems[0].line"), "row 2 is on line 4 (after a 2-line cell)");
    assertEquals("the name is also on row 1", dry.getString("problems[1].detail"));
    assertEquals(Map.of(), devicesNamed(admin, p), "a dry run created devices");

    JsonPath refused = expectProblem(400, null, send(admin, bad, false), "import");
    assertEquals(List.of("2 group", "4 name"), problems(refused), refused.prettify());
    assertEquals(Map.of(), devicesNamed(admin, p), "a refused import created devices");

    String fixed =
        bad.replace("no-such-group-" + p, group)
            .replace(p.toUpperCase(Locale.ROOT) + "-ONE", p + "-four");
    assertEquals(List.of(), problems(expect(200, send(admin, fixed, true), "dry run").jsonPath()));
    Response imported = expect(201, send(admin, fixed, false), "import of the fixed file");
    assertTrue(imported.contentType().startsWith("text/csv"), imported.contentType());
    assertEquals(
        "attachment; filename=\"tether-device-tokens.csv\"",
        imported.header("Content-Disposition"));

    List<CsvReader.Record> answer = read(imported.asByteArray());
    assertEquals(List.of("name", "id", "token"), answer.get(0).cells());
    assertEquals(5, answer.size(), "a token row per device: " + imported.asString());
    Map<String, Map<String, Object>> made = devicesNamed(admin, p);
    assertEquals(4, made.size(), "devices made: " + made.keySet());
    for (CsvReader.Record r : answer.subList(1, answer.size())) {
      String name = r.cells().get(0);
      Device device =
          credentials
              .verify(r.cells().get(2))
              .orElseThrow(() -> new AssertionError("the token of " + name + " is not valid"));
      assertEquals(name, device.name);
      assertEquals(r.cells().get(1), device.id.toString());
    }
    Map<String, Object> one = made.get(p + "-one");
    assertEquals("cp437", one.get("encoding"), "the group's default encoding");
    assertEquals(List.of("site-a", "x", "y", "z"), one.get("tags"), "defaults ∪ the row's tags");
    assertEquals("hall 3, rack \"7\"\r\nsecond line", one.get("description"));
    assertEquals("latin-1", made.get(p + "-three").get("encoding"), "the row's own encoding");
    List<Map<String, Object>> audited = admin.audit(Map.of("action", "device.create"));
    for (String name : made.keySet()) {
      assertTrue(
          audited.stream()
              .anyMatch(e -> name.equals(e.get("subject")) && "csv import".equals(e.get("detail"))),
          "no device.create audit entry with detail 'csv import' for " + name);
    }
    assertEquals(
        List.of("1 name", "2 name", "3 name", "4 name"),
        problems(expect(200, send(admin, fixed, true), "the same file again").jsonPath()),
        "imported names are taken now");
  }

  private static List<CsvReader.Record> read(byte[] csv) {
    try {
      return CsvReader.read(csv);
    } catch (CsvReader.Malformed e) {
      throw new AssertionError("the answer is not CSV: " + e.getMessage());
    }
  }

  @Test
  void eachBadCellIsNamedByItsColumn() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice live = admin.createDevice(null);
    String p = ApiClient.unique("cells");
    String csv =
        "name,encoding,tags\n"
            + live.name().toUpperCase(Locale.ROOT)
            + ",,\n"
            + p
            + "-enc,ebcdic,\n"
            + p
            + "-tag,,ok bad/tag\n"
            + "has space,,\n"
            + ",,lonely\n";
    JsonPath dry = expect(200, send(admin, csv, true), "dry run").jsonPath();
    assertEquals(
        List.of("1 name", "2 encoding", "3 tags", "4 name", "5 name"),
        problems(dry),
        dry.prettify());
    assertEquals(
        "a device named '" + live.name().toUpperCase(Locale.ROOT) + "' exists",
        dry.getString("problems[0].detail"));
    assertEquals(0, dry.getInt("valid"));
  }

  @Test
  void aFileThatIsNotRightAsAWholeIsRefusedBeforeAnyRow() {
    ApiClient admin = ApiClient.admin();
    expectProblem(400, null, send(admin, "name,colour\nx,red\n", true), "unknown column");
    expectProblem(400, null, send(admin, "group,tags\ndefault,x\n", true), "no name column");
    expectProblem(400, null, send(admin, "", true), "empty file");
    JsonPath open =
        expectProblem(400, null, send(admin, "name\nok\n\"open\n", true), "unclosed quote");
    assertTrue(open.getString("detail").startsWith("line 3:"), open.getString("detail"));
    expectProblem(
        400,
        "dryRun",
        admin
            .cookie()
            .contentType("text/csv; charset=utf-8")
            .body("name\nx\n")
            .post("/api/devices/import"),
        "no dryRun");
    expectProblem(
        415,
        null,
        admin
            .cookie()
            .queryParam("dryRun", true)
            .body("{\"name\":\"x\"}")
            .post("/api/devices/import"),
        "JSON body");
    StringBuilder tooMany = new StringBuilder("name\n");
    for (int i = 0; i <= DeviceImport.MAX_ROWS; i++) {
      tooMany.append("r").append(i).append('\n');
    }
    expectProblem(413, null, send(admin, tooMany.toString(), true), "1001 rows");
    String big = "name,description\nx," + "d".repeat(DeviceImport.MAX_BYTES) + "\n";
    // refused by the HTTP layer (quarkus.http.limits.max-body-size) before the resource: no body
    expect(413, send(admin, big, true), "a file over 1 MiB");
  }

  @Test
  void theTokensFileQuotesEveryCellAndKeepsANameFromRunningAsAFormula() {
    Device dashed = new Device();
    dashed.id = 7L;
    dashed.name = "-A1";
    Device plain = new Device();
    plain.id = 8L;
    plain.name = "plc-8";
    assertEquals(
        "name,id,token\r\n\"'-A1\",\"7\",\"tdv_a\"\r\n\"plc-8\",\"8\",\"tdv_b\"\r\n",
        DeviceImportResource.tokens(
            List.of(
                new DeviceService.Created(dashed, "tdv_a"),
                new DeviceService.Created(plain, "tdv_b"))));
  }

  /**
   * Two imports of the same name sent at the same moment: the check before the insert can see
   * neither, and the unique index decides. The loser is a conflict naming {@code name}, never a
   * 500, and exactly one device of that name exists.
   */
  @Test
  void racingImportsOfOneNameCreateItOnceAndTheLoserIsAConflictNamingTheName() throws Exception {
    ApiClient admin = ApiClient.admin();
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 8; round++) {
        String name = "race-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String csv = "name\n" + name + "\n";
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Response> importIt =
            () -> {
              start.await();
              return send(admin, csv, false);
            };
        var a = two.submit(importIt);
        var b = two.submit(importIt);
        List<Integer> statuses = List.of(a.get().statusCode(), b.get().statusCode());
        assertTrue(
            statuses.contains(201) && (statuses.contains(409) || statuses.contains(400)),
            "one import wins, the other is refused: "
                + statuses
                + " "
                + a.get().asString()
                + " "
                + b.get().asString());
        for (Response r : List.of(a.get(), b.get())) {
          if (r.statusCode() == 409) {
            expectProblem(409, "name", r, "the import that lost the race");
          }
        }
        assertEquals(1, devicesNamed(admin, name).size(), name + " exists once");
      }
    } finally {
      two.shutdownNow();
    }
  }
}
