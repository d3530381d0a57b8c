package io.tether.session;

import io.tether.recording.CastWriter;
import io.tether.recording.RecordingFormat;
import io.tether.recording.TranscriptWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Streams a recording out of the database in one of the export formats, a page of chunks at a time,
 * so a long recording never sits in memory whole.
 */
@ApplicationScoped
public class RecordingExport {
  /** The export formats of {@code GET /api/sessions/{id}/recording}. */
  public enum Format {
    RAW("application/octet-stream", "bin"),
    CAST("application/x-asciicast", "cast"),
    TEXT("text/plain; charset=utf-8", "txt");

    public final String mediaType;
    public final String extension;

    Format(String mediaType, String extension) {
      this.mediaType = mediaType;
      this.extension = extension;
    }
  }

  /** What the export needs to know about the session. */
  public record Source(
      long sessionId, String policy, String encoding, long startEpochSeconds, String title) {}

  /** Chunks read per query: at most 64 × 64 KiB in memory. */
  static final int CHUNKS_PER_PAGE = 64;

  /** The terminal size a cast declares; recordings do not know the viewers' sizes. */
  static final int CAST_WIDTH = 80;

  static final int CAST_HEIGHT = 24;

  @Inject DataSource dataSource;

  public boolean exists(long sessionId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select 1 from recording_chunks where session_id = ? limit 1")) {
      s.setLong(1, sessionId);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  public void write(Source src, Format format, OutputStream out) throws IOException {
    boolean input = "all".equals(src.policy());
    switch (format) {
      case RAW -> {
        events(
            src.sessionId(),
            e -> {
              if (e.kind() == RecordingFormat.Kind.OUTPUT
                  || e.kind() == RecordingFormat.Kind.TRANSFER) { // every byte the device sent
                write(out, e.data());
              }
            });
        out.flush();
      }
      case CAST -> {
        Writer w = writer(out);
        CastWriter cast = new CastWriter(w, src.encoding(), input);
        cast.header(CAST_WIDTH, CAST_HEIGHT, src.startEpochSeconds(), src.title());
        events(src.sessionId(), e -> accept(() -> cast.accept(e)));
        cast.finish();
        w.flush();
      }
      case TEXT -> {
        Writer w = writer(out);
        TranscriptWriter text = new TranscriptWriter(w, src.encoding(), input);
        events(src.sessionId(), e -> accept(() -> text.accept(e)));
        text.finish();
        w.flush();
      }
    }
  }

  private void events(long sessionId, Consumer<RecordingFormat.Event> sink) throws IOException {
    int after = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select seq, data from recording_chunks where session_id = ? and seq > ?"
                    + " order by seq limit "
                    + CHUNKS_PER_PAGE)) {
      while (true) {
        s.setLong(1, sessionId);
        s.setInt(2, after);
        int read = 0;
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            read++;
            after = r.getInt(1);
            for (RecordingFormat.Event e : RecordingFormat.decode(r.getBytes(2))) {
              sink.accept(e);
            }
          }
        }
        if (read < CHUNKS_PER_PAGE) {
          return;
        }
      }
    } catch (SQLException e) {
      throw new IOException("reading the recording failed: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Writer writer(OutputStream out) {
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

  private static void write(OutputStream out, byte[] data) {
    accept(() -> out.write(data));
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void accept(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
