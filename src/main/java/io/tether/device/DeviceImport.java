package io.tether.device;

import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.CsvReader;
import io.tether.api.ProblemMappers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Devices from a CSV file: every row checked with the rules of {@code POST /api/devices}, then all
 * created in one transaction, or none.
 */
@ApplicationScoped
public class DeviceImport {
  /** Rows a file may hold: a site's worth of devices, created in one transaction of seconds. */
  public static final int MAX_ROWS = 1_000;

  /**
   * Bytes a file may hold: 1,000 rows with long descriptions. Equal to {@code
   * quarkus.http.limits.max-body-size}, which refuses a larger body before it is read.
   */
  public static final int MAX_BYTES = 1024 * 1024;

  /** The columns a file may have; the header row names them, in any order. */
  static final List<String> COLUMNS = List.of("name", "group", "tags", "description", "encoding");

  /** What the audit entry of each device made by an import says. */
  static final String AUDIT_DETAIL = "csv import";

  @Inject Validator validator;
  @Inject DeviceService devices;

  /** A data row (1-based, the header is not counted) and the line of the file it starts on. */
  record Row(int row, int line, DeviceApi.NewDevice device) {}

  /** What is wrong with one row: the field (a column) and why. */
  public record RowProblem(int row, int line, String name, String field, String detail) {}

  /** The outcome of a check: rows read, rows without a problem, and the problems in row order. */
  public record Check(int rows, int valid, List<RowProblem> problems) {}

  /** An import refused for its rows' problems; nothing was created. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Check check;

    Refused(Check check) {
      super(
          check.problems().size() + " problem(s) in the file: nothing was imported",
          null,
          false,
          false);
      this.check = check;
    }
  }

  /** The rows of a CSV file; 400 (or 413 past {@link #MAX_ROWS}) when the file itself is wrong. */
  List<Row> rows(byte[] csv) {
    List<CsvReader.Record> records;
    try {
      records = CsvReader.read(csv);
    } catch (CsvReader.Malformed e) {
      throw ApiException.badRequest(null, e.getMessage());
    }
    if (records.isEmpty()) {
      throw ApiException.badRequest(
          null, "the file is empty: its first row names the columns, e.g. name,group,tags");
    }
    Map<String, Integer> at = columns(records.get(0).cells());
    List<Row> rows = new ArrayList<>();
    for (CsvReader.Record r : records.subList(1, records.size())) {
      if (r.blank()) {
        continue;
      }
      if (rows.size() == MAX_ROWS) {
        throw new ApiException(
            413, "the file has more than " + MAX_ROWS + " rows: split it", null, null);
      }
      rows.add(new Row(rows.size() + 1, r.line(), device(r.cells(), at)));
    }
    return rows;
  }

  /** Column name → cell index, from the header row. */
  private static Map<String, Integer> columns(List<String> header) {
    Map<String, Integer> at = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String column = header.get(i).strip().toLowerCase(Locale.ROOT);
      if (column.isEmpty()) {
        continue;
      }
      if (!COLUMNS.contains(column)) {
        throw ApiException.badRequest(
            null,
            "line 1: unknown column '"
                + header.get(i).strip()
                + "': the columns are "
                + String.join(", ", COLUMNS));
      }
      if (at.put(column, i) != null) {
        throw ApiException.badRequest(null, "line 1: the column '" + column + "' is named twice");
      }
    }
    if (!at.containsKey("name")) {
      throw ApiException.badRequest(
          null, "line 1: the first row names the columns, and one must be 'name'");
    }
    return at;
  }

  /** The request a row stands for; an empty cell is a field not given. */
  private static DeviceApi.NewDevice device(List<String> cells, Map<String, Integer> at) {
    String tags = cell(cells, at, "tags");
    return new DeviceApi.NewDevice(
        Optional.ofNullable(cell(cells, at, "name")).orElse(""),
        cell(cells, at, "description"),
        cell(cells, at, "group"),
        cell(cells, at, "encoding"),
        tags == null
            ? null
            : Arrays.stream(tags.split("[\\s;]+")).filter(t -> !t.isEmpty()).toList(),
        null,
        null,
        null);
  }

  private static String cell(List<String> cells, Map<String, Integer> at, String column) {
    Integer i = at.get(column);
    if (i == null || i >= cells.size() || cells.get(i).isBlank()) {
      return null;
    }
    return cells.get(i).strip();
  }

  /** Checks every row as {@code POST /api/devices} would, and the names against each other. */
  @Transactional
  public Check check(List<Row> rows) {
    List<RowProblem> problems = new ArrayList<>();
    Map<String, Optional<DeviceGroup>> groups = new HashMap<>();
    Map<String, Integer> firstRowOf = new HashMap<>();
    Set<String> taken = liveNames(rows);
    int valid = 0;
    for (Row row : rows) {
      List<RowProblem> found = new ArrayList<>();
      DeviceApi.NewDevice d = row.device();
      // one problem per field, as POST /api/devices names one
      Map<String, String> invalid = new TreeMap<>();
      for (ConstraintViolation<DeviceApi.NewDevice> v : validator.validate(d)) {
        String field = ProblemMappers.field(v.getPropertyPath());
        invalid.merge(field, field + ": " + v.getMessage(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
      }
      invalid.forEach((field, detail) -> found.add(problem(row, field, detail)));
      String key = d.name().toLowerCase(Locale.ROOT);
      Integer earlier = firstRowOf.putIfAbsent(key, row.row());
      if (earlier != null) {
        found.add(problem(row, "name", "the name is also on row " + earlier));
      } else if (taken.contains(key)) {
        found.add(problem(row, "name", "a device named '" + d.name() + "' exists"));
      }
      String groupName = d.group() == null ? DeviceGroup.DEFAULT : d.group();
      Optional<DeviceGroup> group =
          groups.computeIfAbsent(
              groupName, g -> DeviceGroup.<DeviceGroup>find("name", g).firstResultOptional());
      if (group.isEmpty()) {
        found.add(problem(row, "group", "no group named '" + groupName + "'"));
      } else {
        try {
          group.get().tagsFor(d.tags());
        } catch (ApiException tooMany) {
          found.add(problem(row, "tags", tooMany.getMessage()));
        }
      }
      problems.addAll(found);
      valid += found.isEmpty() ? 1 : 0;
    }
    return new Check(rows.size(), valid, List.copyOf(problems));
  }

  /**
   * Creates a device for every row, in one transaction: when a row has a problem (checked again
   * here, as the fleet may have changed since a dry run) nothing is created and {@link Refused}
   * carries the problems.
   */
  @Transactional
  public List<DeviceService.Created> importAll(Principal admin, String address, List<Row> rows) {
    Check check = check(rows);
    if (!check.problems().isEmpty()) {
      throw new Refused(check);
    }
    List<DeviceService.Created> created = new ArrayList<>(rows.size());
    for (Row row : rows) {
      created.add(devices.create(admin, address, row.device(), AUDIT_DETAIL));
      // Each row is flushed by create(); what it persisted leaves the persistence context, which
      // every later query would otherwise dirty-check again: 1,000 rows took 17 s, not 1.
      Device.getEntityManager().clear();
    }
    return created;
  }

  /** The names of the rows that live devices already have, lower case. */
  private static Set<String> liveNames(List<Row> rows) {
    List<String> names =
        rows.stream().map(r -> r.device().name().toLowerCase(Locale.ROOT)).distinct().toList();
    if (names.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        Device.getEntityManager()
            .createQuery(
                "select lower(name) from Device where deletedAt is null and lower(name) in :names",
                String.class)
            .setParameter("names", names)
            .getResultList());
  }

  private static RowProblem problem(Row row, String field, String detail) {
    return new RowProblem(row.row(), row.line(), row.device().name(), field, detail);
  }
}
