/**
 * The JDK WebSocket client speaking Tether frames, shared by the agent and the CLI (no Quarkus).
 */
package io.tether.wsclient;
