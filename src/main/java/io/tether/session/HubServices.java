package io.tether.session;

import java.time.Clock;

/**
 * The collaborators every hub of a node shares, each a narrow interface so that a hub can be built
 * with fakes.
 */
record HubServices(
    HubRegistry registry,
    DeviceChannels channels,
    Journal journal,
    SessionAudit audit,
    Clock clock) {}
