package io.tether.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A session on one device target: when it ran, how it ended, how many bytes moved. */
@Entity
@Table(name = "sessions")
public class SessionRecord extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "device_id", nullable = false)
  public Long deviceId;

  @Column(nullable = false, length = 32)
  public String target;

  @Column(nullable = false, length = 16)
  public String state;

  /** {@code terminal} (a shared session) or {@code forward} (a CLI's use of a TCP target). */
  @Column(nullable = false, length = 16)
  public String kind = "terminal";

  /** Forward sessions: the channels the CLI opened to the target. */
  @Column(nullable = false)
  public int channels;

  @Column(name = "node_id", length = 64)
  public String nodeId;

  @Column(name = "started_at", nullable = false)
  public Instant startedAt = Instant.now();

  @Column(name = "ended_at")
  public Instant endedAt;

  @Column(name = "close_reason", length = 64)
  public String closeReason;

  @Column(name = "bytes_in", nullable = false)
  public long bytesIn;

  @Column(name = "bytes_out", nullable = false)
  public long bytesOut;

  /** The recording policy the session ran under: off, output or all. */
  @Column(nullable = false, length = 8)
  public String recording;

  @Column(name = "recording_bytes", nullable = false)
  public long recordingBytes;

  @Column(name = "recording_gaps", nullable = false)
  public int recordingGaps;
}
