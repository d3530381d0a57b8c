package io.tether.device;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.tether.access.AccessChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.event.TransactionPhase;

/** Fans presence events out to every live subscriber (the UI's event streams). */
@ApplicationScoped
public class PresenceFeed {
  private final BroadcastProcessor<PresenceChanged> processor = BroadcastProcessor.create();
  private final BroadcastProcessor<AccessChanged> revocations = BroadcastProcessor.create();

  void on(@ObservesAsync PresenceChanged event) {
    processor.onNext(event);
  }

  void on(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    revocations.onNext(change);
  }

  public Multi<PresenceChanged> stream() {
    return processor;
  }

  /** Access changes (committed): streams of a user whose rights shrank end. */
  public Multi<AccessChanged> revocations() {
    return revocations;
  }
}
