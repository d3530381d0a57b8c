/**
 * The fault suite of issue #8: the packaged portal, agent and CLI as processes, hurt on purpose
 * (kill -9, a path that black-holes, a consumer that stops reading), each test asserting what users
 * and operators see afterwards. Each item of the issue and the test that covers it:
 *
 * <ul>
 *   <li><b>Half-open tunnel</b> (a relay that stops forwarding, sockets open; both sides detect it
 *       within the configured timeout; the agent reconnects once the path heals): {@code
 *       io.tether.tunnel.TunnelLivenessIT#aBlackHoledPathIsDeclaredDeadOnBothSidesAndHealsByItself}
 *       covers it fully — a frozen {@code TcpRelay}; the portal marks the device offline and the
 *       agent logs {@code 4006 heartbeat-timeout}, each within {@code TETHER_DEAD_AFTER} (3 s, the
 *       agent takes it from WELCOME) plus 5 s slack; after the heal the agent is online again.
 *   <li><b>kill -9 of the portal</b> with live tunnels and sessions, restart; devices back,
 *       sessions closed with reasons, no orphaned rows or PostgreSQL: {@link
 *       io.tether.fault.PortalKillIT}; that the recording survives up to a second before the crash:
 *       {@code io.tether.session.SessionCrashIT}.
 *   <li><b>A graceful stop under 10k tunnels</b> (beyond the list; found by P5): every
 *       disconnect audited, every device offline, nothing written after the database went away:
 *       {@link io.tether.fault.GracefulStopIT}, with simulated devices.
 *   <li><b>kill -9 of the agent mid-transfer</b>; the portal closes the channels with a reason:
 *       {@link io.tether.fault.AgentKillIT}; presence alone (offline within dead-after): {@code
 *       TunnelLivenessIT#theDeviceShowsItsAgentAndTargetsAndGoesOfflineWhenTheAgentIsKilled}.
 *   <li><b>64 MiB byte-exact through a slow consumer</b> in CI, 1 GiB under {@code -Pbench}: {@link
 *       io.tether.fault.SlowConsumerIT}, and {@code io.tether.bench.SlowConsumerBench} at 1 GiB; a
 *       32 MiB echo and a stalled channel beside a busy one: {@code
 *       io.tether.tunnel.TunnelBytePathIT}.
 *   <li><b>A user-side client that sends but never reads</b> (hardening item 6; beyond issue #8):
 *       an observer flooding keystrokes, a terminal flooding answered messages or PINGs is closed
 *       and the portal's live heap grows by less than 16 MiB; the 33rd event stream or data flow
 *       socket of a user gets 429: {@code io.tether.session.SessionSharingIT}.
 *   <li><b>Frame decoder fuzzing</b> with Jazzer, its seeds a regression run in CI, a longer run
 *       documented: {@code io.tether.protocol.FrameDecoderFuzzTest} (a plain surefire test, so
 *       every build replays its seeds; fuzzing runs and the longer run: docs/protocol.md, section
 *       14) and the seeded {@code io.tether.protocol.DecoderFuzzTest}.
 * </ul>
 */
package io.tether.fault;
