package io.tether.session;

import io.tether.device.SessionChanged;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The collaborators every hub of a node shares, each a narrow interface so that a hub can be built
 * with fakes. {@code news} takes what the live event stream says of a session (it must not block).
 */
record HubServices(
    HubRegistry registry,
    DeviceChannels channels,
    Journal journal,
    SessionAudit audit,
    Clock clock,
    Consumer<SessionChanged> news) {}
