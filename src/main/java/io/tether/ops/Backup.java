package io.tether.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * {@code backup FILE [--without-recordings]}: one archive with a consistent dump of the database
 * and the node's {@code secret.key} (from {@code TETHER_SECRET_KEY_FILE} when set) and {@code
 * node-id}. Runs beside a running portal (reading its embedded server or the external database) or
 * on a stopped one.
 */
final class Backup implements ServerCommand.Action {
  static final String WITHOUT_RECORDINGS = "--without-recordings";

  @Override
  public int run(List<String> args, Map<String, String> env, Console console)
      throws CommandException {
    boolean withRecordings = !args.contains(WITHOUT_RECORDINGS);
    List<String> rest = args.stream().filter(a -> !a.equals(WITHOUT_RECORDINGS)).toList();
    if (rest.size() != 1 || rest.get(0).startsWith("-")) {
      throw CommandException.usage("usage: backup FILE [" + WITHOUT_RECORDINGS + "]");
    }
    Path file = Path.of(rest.get(0));
    try (PortalDatabase db =
        PortalDatabase.open(env, PortalDatabase.Use.BESIDE_A_RUNNING_PORTAL, console)) {
      Map<String, Path> identity =
          BackupArchive.identitySources(db.dataDir(), db.settings().secretKeyFile());
      for (Path source : identity.values()) {
        if (!Files.isRegularFile(source)) {
          throw new CommandException(
              CommandException.REFUSED,
              "refused: "
                  + source.getParent()
                  + " has no "
                  + source.getFileName()
                  + " (not a portal's data dir?)");
        }
      }
      SqlDump.Summary summary;
      try (Connection c = db.connect()) {
        summary = BackupArchive.write(file, identity, out -> SqlDump.write(c, out, withRecordings));
      }
      console
          .out()
          .println(
              "backup written to "
                  + file.toAbsolutePath()
                  + " (schema "
                  + summary.schemaVersion()
                  + ", "
                  + summary.tables()
                  + " tables, "
                  + summary.rows()
                  + " rows"
                  + (withRecordings ? "" : ", recordings left out")
                  + ", "
                  + Files.size(file)
                  + " bytes); it holds secret.key: keep it as secret as the server");
      return 0;
    } catch (CommandException e) {
      throw e;
    } catch (Exception e) {
      throw new CommandException(CommandException.FAILED, "backup failed: " + e.getMessage(), e);
    }
  }
}
