package io.tether.ops;

import io.tether.boot.NodeIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * {@code restore FILE}: a backup into the embedded database of a fresh data dir, or into an empty
 * external database ({@code TETHER_DB_URL}), with the backup's {@code secret.key} and {@code
 * node-id} written into the data dir (with {@code TETHER_SECRET_KEY_FILE} set, only the node id:
 * that file must already hold the backup's key). The schema is migrated to the backup's version
 * with this build's migrations, then the rows are loaded in one transaction; the next start
 * migrates on to this build's schema. Refused while a portal holds the data dir, while a portal
 * with the backup's node id is connected to the target database ({@link LiveNode}), and into a
 * database that has tables already.
 */
final class Restore implements ServerCommand.Action {

  @Override
  public int run(List<String> args, Map<String, String> env, Console console)
      throws CommandException {
    if (args.size() != 1 || args.get(0).startsWith("-")) {
      throw CommandException.usage("usage: restore FILE");
    }
    Path file = Path.of(args.get(0));
    if (!Files.exists(file)) {
      throw new CommandException(CommandException.REFUSED, "no such file: " + file);
    }
    try (BackupArchive.Source backup = BackupArchive.open(file);
        PortalDatabase db = PortalDatabase.open(env, PortalDatabase.Use.PORTAL_STOPPED, console)) {
      Map<String, String> header;
      try (InputStream dump = backup.open(BackupArchive.DUMP)) {
        header = SqlLoad.header(dump);
      }
      String schema = header.get(SqlDump.SCHEMA_VERSION);
      if (schema == null) {
        throw new CommandException(
            CommandException.REFUSED, "refused: " + file + " has no schema version in its dump");
      }
      String nodeId = new String(backup.open(NodeIdentity.NODE_ID_FILE).readAllBytes()).trim();
      Optional<Path> sharedKey = db.settings().secretKeyFile();
      if (sharedKey.isPresent()) {
        try (InputStream in = backup.open(NodeIdentity.SECRET_FILE)) {
          requireSameKey(in.readAllBytes(), sharedKey.get());
        }
      }
      long rows;
      try (Connection c = db.connect()) {
        requireNodeNotLive(c, nodeId);
        requireEmpty(c, db.url());
        migrate(db, schema);
        try (InputStream dump = backup.open(BackupArchive.DUMP)) {
          rows = SqlLoad.load(c, dump);
        }
      }
      for (String name : BackupArchive.IDENTITY_FILES) {
        if (name.equals(NodeIdentity.SECRET_FILE) && sharedKey.isPresent()) {
          continue; // the portal reads TETHER_SECRET_KEY_FILE, which holds this very key
        }
        try (InputStream in = backup.open(name)) {
          writeSecret(db.dataDir().resolve(name), in.readAllBytes());
        }
      }
      console
          .out()
          .println(
              "restored "
                  + rows
                  + " rows at schema "
                  + schema
                  + " into "
                  + (db.external() ? db.url() : "the embedded database of " + db.dataDir())
                  + ", node "
                  + nodeId
                  + "; start the portal to migrate to schema "
                  + BundledMigrations.load().latestVersion());
      return 0;
    } catch (CommandException e) {
      throw e;
    } catch (Exception e) {
      throw new CommandException(
          CommandException.FAILED,
          "restore failed: "
              + e.getMessage()
              + " (the database may hold part of the backup: empty it before trying again)",
          e);
    }
  }

  /**
   * With {@code TETHER_SECRET_KEY_FILE} the portal reads its key there, not from the data dir: the
   * backup's token hashes match only if that file holds the backup's key, which is the operator's
   * to put there (the file is shared by every node). Checked before anything is written.
   */
  static void requireSameKey(byte[] backupKey, Path keyFile) throws IOException, CommandException {
    byte[] ours = NodeIdentity.decodeSecret(Files.readAllBytes(keyFile));
    if (!MessageDigest.isEqual(ours, NodeIdentity.decodeSecret(backupKey))) {
      throw new CommandException(
          CommandException.REFUSED,
          "refused: the backup's secret.key differs from "
              + keyFile
              + " (TETHER_SECRET_KEY_FILE): its tokens would match nothing; put the backup's"
              + " secret.key there first");
    }
  }

  private static void requireEmpty(Connection c, String url) throws SQLException, CommandException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select count(*) from pg_tables where schemaname = current_schema()")) {
      rs.next();
      if (rs.getLong(1) > 0) {
        throw new CommandException(
            CommandException.REFUSED,
            "refused: the database "
                + url
                + " already has "
                + rs.getLong(1)
                + " tables; restore needs a fresh data dir or an empty database");
      }
    }
  }

  /**
   * Two portals with one node id would each take the other's tunnels and sessions for their own: a
   * backup's node id may come back only once the node that holds it is gone. Checked first, so that
   * this is what the operator reads (such a database is never empty either).
   */
  private static void requireNodeNotLive(Connection c, String nodeId)
      throws SQLException, CommandException {
    Optional<String> live = LiveNode.holding(c, nodeId);
    if (live.isPresent()) {
      throw new CommandException(
          CommandException.REFUSED,
          "refused: node "
              + nodeId
              + " of this backup is live on this database ("
              + live.get()
              + "); stop that portal first");
    }
  }

  private static void migrate(PortalDatabase db, String schema) {
    Flyway.configure(Restore.class.getClassLoader())
        .dataSource(db.url(), db.user(), db.password())
        .resourceProvider(BundledMigrations.load())
        .javaMigrationClassProvider(List::<Class<? extends JavaMigration>>of)
        .target(schema)
        .load()
        .migrate();
  }

  private static void writeSecret(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp,
        PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(BackupArchive.SECRET_MODE)));
    Files.write(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
