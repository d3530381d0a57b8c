package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.boot.NodeIdentity;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore with {@code TETHER_SECRET_KEY_FILE}: the key lives in that file, not the data
 * dir.
 */
class BackupSecretKeyTest {
  @TempDir Path tmp;

  private Path keyFile(String name, int fill) throws Exception {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return Files.write(tmp.resolve(name), Base64.getEncoder().encode(key));
  }

  @Test
  void aBackupTakesTheSecretFromTheKeyFileAndTheNodeIdFromTheDataDir() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve(NodeIdentity.NODE_ID_FILE), "node-1");
    Path shared = keyFile("shared.key", 7);
    Map<String, Path> sources = BackupArchive.identitySources(data, Optional.of(shared));
    assertEquals(shared, sources.get(NodeIdentity.SECRET_FILE));
    assertEquals(data.resolve(NodeIdentity.NODE_ID_FILE), sources.get(NodeIdentity.NODE_ID_FILE));

    Path archive = tmp.resolve("backup.zip");
    BackupArchive.write(archive, sources, out -> null);
    try (BackupArchive.Source backup = BackupArchive.open(archive);
        InputStream secret = backup.open(NodeIdentity.SECRET_FILE)) {
      assertArrayEquals(Files.readAllBytes(shared), secret.readAllBytes(), "the shared key");
    }
    assertEquals(
        data.resolve(NodeIdentity.SECRET_FILE),
        BackupArchive.identitySources(data, Optional.empty()).get(NodeIdentity.SECRET_FILE),
        "without the setting, the data dir's");
  }

  @Test
  void restoreRefusesABackupWhoseKeyIsNotTheKeyFiles() throws Exception {
    Path shared = keyFile("shared.key", 7);
    byte[] same = Files.readAllBytes(keyFile("same.key", 7));
    Restore.requireSameKey(same, shared);
    byte[] other = Files.readAllBytes(keyFile("other.key", 8));
    CommandException e =
        assertThrows(CommandException.class, () -> Restore.requireSameKey(other, shared));
    assertTrue(
        e.getMessage().contains("the backup's secret.key differs from " + shared), e.getMessage());
  }
}
