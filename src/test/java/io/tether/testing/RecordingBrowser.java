package io.tether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@code $BROWSER} for {@code tether login} in tests: a script that writes down the address it
 * was asked to open (atomically, by a rename), for the test to open in headless Chromium.
 */
public final class RecordingBrowser {
  private final Path script;
  private final Path opened;

  private RecordingBrowser(Path script, Path opened) {
    this.script = script;
    this.opened = opened;
  }

  /** The script in {@code dir}, executable. */
  public static RecordingBrowser in(Path dir) {
    Path opened = dir.resolve("opened-url");
    Path script = dir.resolve("browser.sh");
    try {
      Files.writeString(
          script,
          "#!/bin/sh\nprintf '%s\\n' \"$1\" > '"
              + opened
              + ".tmp' && mv '"
              + opened
              + ".tmp' '"
              + opened
              + "'\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!script.toFile().setExecutable(true)) {
      throw new IllegalStateException("cannot make " + script + " executable");
    }
    return new RecordingBrowser(script, opened);
  }

  /** What to set {@code BROWSER} to. */
  public String command() {
    return script.toString();
  }

  /** The address the CLI opened, once it has. */
  public String awaitOpened(Duration timeout) throws IOException {
    Await.until("tether login to open the browser", timeout, () -> Files.exists(opened));
    return Files.readString(opened).strip();
  }
}
