package io.tether.session;

import io.tether.access.AccessPolicy;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import io.tether.device.Device;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads sessions for the API: only those on devices the caller may see, newest first. */
@ApplicationScoped
public class SessionQuery {
  /** The list's filters; null fields do not filter. */
  public record Filter(Boolean live, Long device, String user, Instant from, Instant to) {}

  @Inject EntityManager em;
  @Inject AccessPolicy policy;
  @Inject SessionHubs hubs;
  @Inject ForwardSessions forwards;

  @Transactional
  public Page<SessionApi.SessionView> list(Principal p, Filter f, PageRequest page) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    if (!p.admin()) {
      Set<Long> groups = policy.roles(p).keySet();
      if (groups.isEmpty()) {
        return new Page<>(List.of(), null);
      }
      where.append(" and d.group.id in :groups");
      params.put("groups", groups);
    }
    if (f.live() != null) {
      where.append(f.live() ? " and s.endedAt is null" : " and s.endedAt is not null");
    }
    if (f.device() != null) {
      where.append(" and s.deviceId = :device");
      params.put("device", f.device());
    }
    if (f.user() != null) {
      where.append(
          " and exists (select 1 from SessionParticipant sp where sp.sessionId = s.id"
              + " and lower(sp.username) = :user)");
      params.put("user", f.user().toLowerCase(java.util.Locale.ROOT));
    }
    if (f.from() != null) {
      where.append(" and s.startedAt >= :from");
      params.put("from", f.from());
    }
    if (f.to() != null) {
      where.append(" and s.startedAt <= :to");
      params.put("to", f.to());
    }
    if (page.after() != null) {
      where.append(" and s.id < :after");
      params.put("after", page.after());
    }
    TypedQuery<Object[]> q =
        em.createQuery(
            "select s, d from SessionRecord s, Device d where d.id = s.deviceId and "
                + where
                + " order by s.id desc",
            Object[].class);
    params.forEach(q::setParameter);
    List<Object[]> rows = q.setMaxResults(page.limit() + 1).getResultList();
    Page<Object[]> paged = page.page(rows, r -> ((SessionRecord) r[0]).id);
    return new Page<>(views(paged.items()), paged.next());
  }

  /** One session the caller may see; 404 otherwise. */
  @Transactional
  public SessionApi.SessionView get(Principal p, long id) {
    Object[] row = find(p, id);
    return views(List.<Object[]>of(row)).get(0);
  }

  /** The session row and its device, if the caller may see the device (deleted ones too). */
  @Transactional
  public Object[] find(Principal p, long id) {
    List<Object[]> rows =
        em.createQuery(
                "select s, d from SessionRecord s, Device d where d.id = s.deviceId and s.id = :id",
                Object[].class)
            .setParameter("id", id)
            .getResultList();
    if (rows.isEmpty()) {
      throw ApiException.notFound("no session " + id);
    }
    Device d = (Device) rows.get(0)[1];
    if (!p.admin() && !policy.roles(p).containsKey(d.group.id)) {
      throw ApiException.notFound("no session " + id);
    }
    return rows.get(0);
  }

  private List<SessionApi.SessionView> views(List<Object[]> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<Long> ids = rows.stream().map(r -> ((SessionRecord) r[0]).id).toList();
    Map<Long, List<SessionApi.ParticipantView>> participants =
        em
            .createQuery(
                "from SessionParticipant where sessionId in :ids order by sessionId, seq",
                SessionParticipant.class)
            .setParameter("ids", ids)
            .getResultList()
            .stream()
            .collect(
                Collectors.groupingBy(
                    sp -> sp.sessionId,
                    Collectors.mapping(
                        sp ->
                            new SessionApi.ParticipantView(
                                sp.userId, sp.username, sp.role, sp.via, sp.joinedAt, sp.leftAt),
                        Collectors.toList())));
    List<SessionApi.SessionView> views = new ArrayList<>();
    for (Object[] r : rows) {
      SessionRecord s = (SessionRecord) r[0];
      Device d = (Device) r[1];
      long bytesIn = s.bytesIn;
      long bytesOut = s.bytesOut;
      long recorded = s.recordingBytes;
      int channels = s.channels;
      var live = s.endedAt == null ? hubs.live(s.id) : java.util.Optional.<SessionHub>empty();
      if (live.isPresent()) {
        bytesIn = live.get().bytesIn();
        bytesOut = live.get().bytesOut();
        recorded = live.get().recordedBytes();
      }
      var forward =
          s.endedAt == null ? forwards.live(s.id) : java.util.Optional.<ForwardSessions.Use>empty();
      if (forward.isPresent()) {
        bytesIn = forward.get().bytesIn();
        bytesOut = forward.get().bytesOut();
        channels = forward.get().channels();
      }
      views.add(
          new SessionApi.SessionView(
              s.id,
              new SessionApi.DeviceRef(d.id, d.name),
              s.target,
              s.kind,
              s.endedAt == null ? "live" : "ended",
              s.startedAt,
              s.endedAt,
              s.closeReason,
              bytesIn,
              bytesOut,
              channels,
              new SessionApi.RecordingView(s.recording, recorded, s.recordingGaps),
              participants.getOrDefault(s.id, List.of())));
    }
    return views;
  }
}
