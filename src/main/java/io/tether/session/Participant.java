package io.tether.session;

import java.util.ArrayDeque;

/** One member of a live session; touched only on the hub's context. */
final class Participant {
  /** A participant's role: one controller types, observers watch. */
  enum Role {
    CONTROLLER,
    OBSERVER;

    String wireName() {
      return this == CONTROLLER ? "controller" : "observer";
    }
  }

  final int id;
  final JoinRequest who;
  final ParticipantSink sink;
  Role role = Role.OBSERVER;

  /** The {@code session_participants} row (its {@code seq}) of the current role. */
  int spanSeq;

  /** Bytes handed to the socket and not yet written: bounded for observers. */
  long pendingBytes;

  /** An observer that overflowed and skips output until it has drained. */
  boolean lagging;

  /** Its terminal's columns and rows as it last said; 0 until it says. */
  int cols;

  int rows;

  /** The browser asked to pause (its terminal is behind). */
  boolean paused;

  /** The controller's acknowledgements held while it is paused: the device gets no credit. */
  final ArrayDeque<Runnable> heldAcks = new ArrayDeque<>();

  Participant(int id, JoinRequest who, ParticipantSink sink) {
    this.id = id;
    this.who = who;
    this.sink = sink;
  }

  boolean controls() {
    return role == Role.CONTROLLER;
  }

  /** Lets the device go on: releases every held acknowledgement. */
  void releaseHeld() {
    while (!heldAcks.isEmpty()) {
      heldAcks.removeFirst().run();
    }
  }
}
