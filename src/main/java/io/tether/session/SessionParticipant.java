package io.tether.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One participant of a session in one role, from joining (or a role change) to leaving. */
@Entity
@Table(name = "session_participants")
@IdClass(SessionParticipant.Key.class)
public class SessionParticipant extends PanacheEntityBase {
  /** The composite key: session and span number. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    public Long sessionId;
    public Integer seq;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && java.util.Objects.equals(sessionId, k.sessionId)
          && java.util.Objects.equals(seq, k.seq);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(sessionId, seq);
    }
  }

  @Id
  @Column(name = "session_id")
  public Long sessionId;

  @Id public Integer seq;

  @Column(name = "user_id")
  public Long userId;

  public String username;
  public String role;
  public String via;

  @Column(name = "joined_at")
  public Instant joinedAt;

  @Column(name = "left_at")
  public Instant leftAt;
}
