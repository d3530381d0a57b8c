package io.tether.device;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.tether.tunnel.PresenceChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

/** Fans presence events out to every live subscriber (the UI's event streams). */
@ApplicationScoped
public class PresenceFeed {
  private final BroadcastProcessor<PresenceChanged> processor = BroadcastProcessor.create();

  void on(@ObservesAsync PresenceChanged event) {
    processor.onNext(event);
  }

  public Multi<PresenceChanged> stream() {
    return processor;
  }
}
