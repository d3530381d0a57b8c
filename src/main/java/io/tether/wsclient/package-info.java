/**
 * A lean WebSocket client on plain NIO (one selector thread per process, no thread hand-off per
 * message) speaking Tether frames, shared by the agent and the CLI (no Quarkus, no Netty).
 */
package io.tether.wsclient;
