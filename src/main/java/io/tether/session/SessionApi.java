package io.tether.session;

import java.time.Instant;
import java.util.List;

/** The JSON shapes of the sessions API. */
public final class SessionApi {
  private SessionApi() {}

  public record DeviceRef(long id, String name) {}

  public record RecordingView(String policy, long bytes, int gaps) {}

  public record ParticipantView(
      Long userId, String username, String role, String via, Instant joinedAt, Instant leftAt) {}

  public record SessionView(
      long id,
      DeviceRef device,
      String target,
      String kind,
      String state,
      Instant startedAt,
      Instant endedAt,
      String closeReason,
      long bytesIn,
      long bytesOut,
      int channels,
      RecordingView recording,
      List<ParticipantView> participants) {}
}
