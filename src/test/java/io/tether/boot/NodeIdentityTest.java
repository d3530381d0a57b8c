package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's id and secret: made in the data dir on first start, or the secret from its own file.
 */
class NodeIdentityTest {
  @TempDir Path tmp;

  private Path keyFile(byte[] key) throws Exception {
    Path file = tmp.resolve("shared-secret.key");
    Files.write(file, Base64.getEncoder().encode(key));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[NodeIdentity.SECRET_BYTES];
    java.util.Arrays.fill(key, (byte) fill);
    return key;
  }

  @Test
  void theFirstStartWritesANodeIdAndAnOwnerOnlyKeyThatLaterStartsRead() throws Exception {
    Path data = tmp.resolve("data");
    NodeIdentity first = NodeIdentity.loadOrCreate(data, Optional.empty());
    Path secret = data.resolve(NodeIdentity.SECRET_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    assertEquals(
        NodeIdentity.SECRET_BYTES, NodeIdentity.decodeSecret(Files.readAllBytes(secret)).length);
    NodeIdentity again = NodeIdentity.loadOrCreate(data, Optional.empty());
    assertEquals(first.nodeId(), again.nodeId());
    assertArrayEquals(first.secret(), again.secret());
  }

  @Test
  void aSecretKeyFileIsReadInsteadAndNothingIsWrittenToTheDataDir() throws Exception {
    Path shared = keyFile(key(7));
    NodeIdentity a = NodeIdentity.loadOrCreate(tmp.resolve("a"), Optional.of(shared));
    NodeIdentity b = NodeIdentity.loadOrCreate(tmp.resolve("b"), Optional.of(shared));
    assertArrayEquals(key(7), a.secret(), "the file's key");
    assertEquals(a.fingerprint(), b.fingerprint(), "two nodes on one file: one cluster key");
    assertNotEquals(a.nodeId(), b.nodeId(), "each its own node id");
    assertTrue(Files.exists(tmp.resolve("a").resolve(NodeIdentity.NODE_ID_FILE)));
    assertFalse(
        Files.exists(tmp.resolve("a").resolve(NodeIdentity.SECRET_FILE)),
        "no secret.key written to the data dir");
  }

  @Test
  void rejectsASecretKeyFileThatIsNotAKey() throws Exception {
    Path file = tmp.resolve("not-a-key");
    for (String content :
        new String[] {"not base64!", Base64.getEncoder().encodeToString(key(1)).substring(0, 24)}) {
      Files.writeString(file, content);
      SettingException e =
          assertThrows(
              SettingException.class,
              () -> NodeIdentity.loadOrCreate(tmp.resolve("data"), Optional.of(file)));
      assertEquals("TETHER_SECRET_KEY_FILE", e.variable());
      assertTrue(e.getMessage().contains("is not a secret.key"), e.getMessage());
    }
  }

  @Test
  void rejectsADataDirKeyOfTheWrongLength() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.write(data.resolve(NodeIdentity.SECRET_FILE), Base64.getEncoder().encode(new byte[16]));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> NodeIdentity.loadOrCreate(data, Optional.empty()));
    assertTrue(
        e.getMessage().contains("is not a valid secret.key: holds 16 bytes, a secret.key holds 32"),
        e.getMessage());
  }

  @Test
  void refusesASecretKeyFileThatDiffersFromTheKeyLeftInTheDataDir() throws Exception {
    Path data = tmp.resolve("data");
    byte[] own = NodeIdentity.loadOrCreate(data, Optional.empty()).secret();
    SettingException e =
        assertThrows(
            SettingException.class,
            () -> NodeIdentity.loadOrCreate(data, Optional.of(keyFile(key(9)))));
    assertEquals("TETHER_SECRET_KEY_FILE", e.variable());
    assertTrue(e.getMessage().contains("holds another key than"), e.getMessage());
    // the data dir's key copied into the file (how a cluster is set up from its first node): fine
    assertArrayEquals(own, NodeIdentity.loadOrCreate(data, Optional.of(keyFile(own))).secret());
  }
}
