package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.SocatPty;
import io.tether.testing.Started;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZMODEM in the web terminal, end to end: the packaged portal, a real agent whose serial target is
 * a socat PTY with an interactive bash (and Debian's lrzsz) on its other end, and headless Chromium
 * running frontend/e2e/filetransfer.mjs with a controller and an observer. The browser side checks
 * the ZMODEM download, upload and cancel, what the observer sees, and XMODEM-1K and YMODEM sends
 * from the serial settings (to lrzsz's rx and rb); this side checks the files on the device, the
 * portal's marks in the text export and the audit log.
 */
class FileTransferIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(240);
  private static final int DOWNLOAD_BYTES = 2 * 1024 * 1024;
  private static final int UPLOAD_BYTES = 1024 * 1024;

  /** Big enough that a cancel lands midway: the browser keeps at most 256 KiB in its socket. */
  private static final int BIG_BYTES = 16 * 1024 * 1024;

  /** A firmware image for XMODEM-1K and YMODEM: not a multiple of 1 KiB, so padding shows. */
  private static final int FIRMWARE_BYTES = 100_000;

  // 127.0.0.1 trusted as a proxy: each browser context signs in from its own X-Forwarded-For
  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("file-transfer", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  @Test
  void zmodemMovesFilesByteExactAndThePortalMarksEachTransfer() throws IOException {
    Path work = Build.workDir("file-transfer-files");
    Path shellDir = Files.createDirectories(work.resolve("device"));
    Path uploads = Files.createDirectories(work.resolve("browser"));
    byte[] download = random(DOWNLOAD_BYTES, 1);
    Files.write(shellDir.resolve("file.bin"), download);
    byte[] upload = random(UPLOAD_BYTES, 2);
    Path uploadPath = Files.write(uploads.resolve("upload.bin"), upload);
    Path bigPath = Files.write(uploads.resolve("big.bin"), random(BIG_BYTES, 3));
    byte[] fw = random(FIRMWARE_BYTES, 4);
    Path fwPath = Files.write(uploads.resolve("fw.bin"), fw);
    byte[] fwPadded = Arrays.copyOf(fw, (FIRMWARE_BYTES + 1023) / 1024 * 1024);
    Arrays.fill(fwPadded, FIRMWARE_BYTES, fwPadded.length, (byte) 0x1a); // XMODEM's SUB padding
    byte[] ymodem = random(FIRMWARE_BYTES, 5);
    Path ymodemPath = Files.write(uploads.resolve("ymodem.bin"), ymodem);

    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("files")))
            .get("name")
            .asText();
    String[] first = portal.admin().newOperator(group);
    String[] second = portal.admin().newOperator(group);
    JsonNode device =
        portal
            .admin()
            .post("/api/devices", Map.of("name", PortalApi.unique("shell"), "group", group));
    long id = device.get("id").asLong();
    SocatPty pty = started.add(SocatPty.shell(shellDir));
    AgentProcess agent =
        started.add(
            AgentProcess.create(
                device.get("name").asText(),
                "ws://127.0.0.1:" + portal.httpPort() + "/tunnel",
                device.get("token").asText(),
                List.of("console=serial:" + pty.devicePath() + "?baud=115200"),
                List.of()));
    agent.start();
    Await.until(
        "the device online",
        Duration.ofSeconds(30),
        () -> portal.admin().get("/api/devices/" + id).get("online").asBoolean());

    Map<String, BrowserDialogue.Handler> handlers =
        Map.of("deviceFile", r -> deviceFile(shellDir, r));
    long startedAt = System.nanoTime();
    BrowserDialogue.run(
        "filetransfer.mjs",
        "zmodem",
        Map.ofEntries(
            Map.entry("TETHER_URL", portal.baseUrl()),
            Map.entry("DEVICE_ID", Long.toString(id)),
            Map.entry("DEVICE_NAME", device.get("name").asText()),
            Map.entry("FIRST_USERNAME", first[1]),
            Map.entry("FIRST_PASSWORD", first[2]),
            Map.entry("SECOND_USERNAME", second[1]),
            Map.entry("SECOND_PASSWORD", second[2]),
            Map.entry("DOWNLOAD_SHA256", sha256(download)),
            Map.entry("UPLOAD_PATH", uploadPath.toString()),
            Map.entry("UPLOAD_SIZE", Integer.toString(UPLOAD_BYTES)),
            Map.entry("UPLOAD_SHA256", sha256(upload)),
            Map.entry("BIG_PATH", bigPath.toString()),
            Map.entry("FW_PATH", fwPath.toString()),
            Map.entry("FW_PADDED_SIZE", Integer.toString(fwPadded.length)),
            Map.entry("FW_PADDED_SHA256", sha256(fwPadded)),
            Map.entry("YM_PATH", ymodemPath.toString()),
            Map.entry("YM_SIZE", Integer.toString(FIRMWARE_BYTES)),
            Map.entry("YM_SHA256", sha256(ymodem))),
        handlers,
        SCENARIO_TIMEOUT);
    System.out.printf(
        "[file-transfer] browser scenario passed in %d ms%n",
        (System.nanoTime() - startedAt) / 1_000_000);

    JsonNode session = portal.admin().get("/api/sessions?device=" + id).get("items").get(0);
    var export =
        portal
            .admin()
            .request(
                "GET",
                "/api/sessions/" + session.get("id").asLong() + "/recording?format=text",
                null);
    assertEquals(200, export.statusCode(), export::body);
    String text = export.body();
    assertTrue(text.contains("[ZMODEM: file.bin, 2.0 MiB, device → user]\n"), text);
    assertTrue(text.contains("[ZMODEM: upload.bin, 1.0 MiB, user → device]\n"), text);
    assertFalse(text.contains("**\u0018B0"), "no ZMODEM frame in the text export");

    List<String> audited = new ArrayList<>();
    Await.until(
        "three session.file-transfer entries",
        Duration.ofSeconds(10),
        () -> {
          audited.clear();
          for (JsonNode e :
              portal
                  .admin()
                  .get("/api/audit?action=session.file-transfer&device=" + id)
                  .get("items")) {
            audited.add(e.get("actor").asText() + ": " + e.get("detail").asText());
          }
          return audited.size() == 3;
        });
    assertEquals(
        List.of(
            first[1] + ": user → device, big.bin, " + BIG_BYTES + " bytes, cancelled",
            first[1] + ": user → device, upload.bin, " + UPLOAD_BYTES + " bytes, complete",
            first[1] + ": device → user, file.bin, " + DOWNLOAD_BYTES + " bytes, complete"),
        audited,
        "newest first");
  }

  /** The sha256 of a file the device's shell has, once it is whole ({"name", "size"}). */
  private static String deviceFile(Path dir, JsonNode request) throws IOException {
    Path file = dir.resolve(request.get("name").asText());
    long size = request.get("size").asLong();
    Await.until(
        file + " of " + size + " bytes",
        Duration.ofSeconds(20),
        () -> Files.isRegularFile(file) && fileSize(file) == size);
    return sha256(Files.readAllBytes(file));
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
