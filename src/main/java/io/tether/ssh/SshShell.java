package io.tether.ssh;

import io.tether.access.CredentialWatch;
import io.tether.access.Principal;
import io.tether.api.SocketQuota;
import io.tether.recording.RecordingFormat;
import io.tether.relay.DeviceOwners;
import io.tether.relay.RelayDialer;
import io.tether.relay.RelayPurpose;
import io.tether.session.CloseCode;
import io.tether.session.CloseReasons;
import io.tether.session.ControlMessage;
import io.tether.session.JoinRequest;
import io.tether.session.Membership;
import io.tether.session.ParticipantSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.io.IoReadFuture;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.AsyncCommand;
import org.jboss.logging.Logger;

/**
 * One SSH shell channel as a participant of a device target's session ({@code via ssh}), like a
 * browser terminal: the hub's output goes to the channel, a write completing when SSHD sent it (so
 * a controller on SSH paces the device); typed bytes go to the hub, the next read waiting while the
 * hub pauses input (so the SSH window stops a fast typist). The portal's own lines (refusals,
 * closes, notes) go to the channel's stderr. Everything runs on one Vert.x context; SSHD's
 * callbacks are posted to it.
 */
final class SshShell implements AsyncCommand, ParticipantSink, CredentialWatch.Holder {
  private static final Logger LOG = Logger.getLogger(SshShell.class);

  /** Bytes read from the channel at a time: typing is small, a paste arrives in these slices. */
  static final int READ_CHUNK = 8192;

  /** At most one "you are observing" line this often: an observer's typing is refused per key. */
  static final long OBSERVER_NOTE_NANOS = 5_000_000_000L;

  /** Exit status of a session that ended normally, and of a refused or dropped one. */
  static final int EXIT_OK = 0;

  static final int EXIT_REFUSED = 1;

  private final SshFrontDoor door;
  private final Context context;
  private final Deque<Pending> writes = new ArrayDeque<>();
  private IoInputStream in;
  private IoOutputStream out;
  private IoOutputStream err;
  private ExitCallback exit;
  private JoinRequest who;
  private SocketQuota.Lease lease;
  private SessionSeat membership;
  private boolean writing;
  private boolean reading;
  private boolean inputPaused;
  private boolean closed;
  private String role;
  private long lastObserverNote;
  private long lastInput = System.nanoTime();
  private long idleTimer = -1;
  private long lastTouch = System.nanoTime();
  private CredentialWatch.Watch watch;

  /** The SSH client's window, as its pty request and window changes said; 0 until known. */
  private int cols;

  private int rows;

  /** Device output waiting for the channel, with the promise the hub waits on. */
  private record Pending(org.apache.sshd.common.util.buffer.Buffer data, Promise<Void> written) {}

  SshShell(SshFrontDoor door, Context context) {
    this.door = door;
    this.context = context;
  }

  // --- SSHD's side: streams, start, destroy ---

  @Override
  public void setIoInputStream(IoInputStream in) {
    this.in = in;
  }

  @Override
  public void setIoOutputStream(IoOutputStream out) {
    this.out = out;
  }

  @Override
  public void setIoErrorStream(IoOutputStream err) {
    this.err = err;
  }

  @Override
  public void setInputStream(InputStream in) {
    // the asynchronous streams above are used
  }

  @Override
  public void setOutputStream(OutputStream out) {
    // the asynchronous streams above are used
  }

  @Override
  public void setErrorStream(OutputStream err) {
    // the asynchronous streams above are used
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) {
    windowSize(env);
    env.addSignalListener((c, signal) -> windowSize(env), Signal.WINCH);
    Principal principal = channel.getSession().getAttribute(SshKeyAuth.PRINCIPAL);
    SshLogin login = channel.getSession().getAttribute(SshKeyAuth.LOGIN);
    String address = SshKeyAuth.address(channel.getSession());
    context.runOnContext(
        v ->
            context
                .executeBlocking(() -> door.admission().admit(principal, login, address), false)
                .onComplete(
                    r -> {
                      if (r.failed()) {
                        finish(refusalLine(r.cause()), EXIT_REFUSED);
                        return;
                      }
                      who = r.result().who();
                      lease = r.result().lease();
                      if (closed) {
                        lease.release();
                        return;
                      }
                      door.opened(this);
                      watchIdle();
                      watch = door.credentials().watch(this);
                      if (r.result().owner().isPresent()) {
                        joinThere(r.result().owner().get(), address);
                      } else {
                        door.hubs().join(who, this);
                      }
                    }));
  }

  /**
   * The device's tunnel is on another node: join the session there over a relayed socket, which
   * that node serves as a terminal {@code via ssh} after its own access checks.
   */
  private void joinThere(DeviceOwners.Owner owner, String address) {
    door.relay()
        .open(
            owner,
            who.principal(),
            address,
            new RelayDialer.Request(RelayPurpose.SSH, who.deviceId(), who.target(), "", List.of()))
        .onComplete(
            r -> {
              if (r.failed()) {
                finish(refusalLine(r.cause()), EXIT_REFUSED);
              } else if (closed) {
                r.result().close();
              } else {
                seated(RelayedSeat.start(r.result(), this));
              }
            });
  }

  /** The window size the client's pty request or window change gave, to the session. */
  private void windowSize(Environment env) {
    int c = dimension(env, Environment.ENV_COLUMNS);
    int r = dimension(env, Environment.ENV_LINES);
    if (c > 0 && r > 0) {
      context.runOnContext(
          v -> {
            cols = c;
            rows = r;
            if (membership != null && !closed) {
              membership.resize(c, r);
            }
          });
    }
  }

  private static int dimension(Environment env, String name) {
    try {
      int n = Integer.parseInt(env.getEnv().getOrDefault(name, "0"));
      return n >= 1 && n <= RecordingFormat.MAX_TERMINAL_SIZE ? n : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String refusalLine(Throwable cause) {
    if (cause instanceof SshAdmission.Refused || cause instanceof RelayDialer.Refused) {
      return cause.getMessage();
    }
    LOG.warnf("SSH session not opened: %s", cause.toString());
    return "the portal could not open the session: try again";
  }

  /** The client closed the channel (or the connection dropped). */
  @Override
  public void destroy(ChannelSession channel) {
    context.runOnContext(v -> leave("the SSH client closed the connection"));
  }

  // --- ParticipantSink ---

  @Override
  public Context context() {
    return context;
  }

  JoinRequest who() {
    return who;
  }

  @Override
  public void joined(Membership m) {
    if (closed) {
      membership = SessionSeat.of(m);
      m.leave(CloseReasons.CLOSED_BY_USER, "the SSH client closed the connection");
      return;
    }
    seated(SessionSeat.of(m));
  }

  /** In the session: its window size, then typing. */
  private void seated(SessionSeat seat) {
    membership = seat;
    if (cols > 0) {
      seat.resize(cols, rows);
    }
    readNext();
  }

  @Override
  public Future<Void> write(Buffer data) {
    Promise<Void> written = Promise.promise();
    context.runOnContext(
        v -> {
          if (closed) {
            written.tryComplete();
            return;
          }
          writes.addLast(new Pending(new ByteArrayBuffer(data.getBytes()), written));
          writeNext();
        });
    return written.future();
  }

  /** SSHD takes one write at a time on a channel stream: the next waits for the last. */
  private void writeNext() {
    if (writing || writes.isEmpty()) {
      return;
    }
    Pending next = writes.removeFirst();
    writing = true;
    try {
      out.writeBuffer(next.data())
          .addListener(
              f ->
                  context.runOnContext(
                      v -> {
                        writing = false;
                        next.written().tryComplete();
                        if (!f.isWritten()) {
                          leave("the SSH channel closed");
                        } else {
                          writeNext();
                        }
                      }));
    } catch (java.io.IOException | RuntimeException e) {
      writing = false;
      next.written().tryComplete();
      leave("the SSH channel closed");
    }
  }

  @Override
  public void control(ControlMessage message) {
    context.runOnContext(
        v -> {
          if (closed) {
            return;
          }
          if (message instanceof ControlMessage.Session s) {
            roleIs(s);
          } else if (message instanceof ControlMessage.InputRefused r) {
            long now = System.nanoTime();
            if (now - lastObserverNote >= OBSERVER_NOTE_NANOS) {
              lastObserverNote = now;
              note(r.detail() + " (from the web terminal)");
            }
          } else if (message instanceof ControlMessage.Error e) {
            note(e.detail());
          } else if (message instanceof ControlMessage.LineSent) {
            note("BREAK sent");
          } else if (message instanceof ControlMessage.Status s
              && s.state() != ControlMessage.State.LIVE
              && s.state() != ControlMessage.State.CONNECTING) {
            note(
                s.state().name().toLowerCase(java.util.Locale.ROOT)
                    + (s.detail() == null ? "" : ": " + s.detail()));
          }
        });
  }

  /** Says once when this user's role changes: observing someone, or in control. */
  private void roleIs(ControlMessage.Session s) {
    if (s.role().equals(role)) {
      return;
    }
    boolean first = role == null;
    role = s.role();
    if ("observer".equals(role)) {
      note(
          "observing"
              + (s.controller() == null ? "" : ": " + s.controller() + " controls the session")
              + (s.mayControl() ? "; take over from the web terminal" : ""));
    } else if (!first) {
      note("you control the session");
    }
  }

  @Override
  public void pauseInput() {
    context.runOnContext(v -> inputPaused = true);
  }

  @Override
  public void resumeInput() {
    context.runOnContext(
        v -> {
          inputPaused = false;
          readNext();
        });
  }

  @Override
  public void closed(CloseCode code, String reason, String detail) {
    context.runOnContext(
        v -> {
          String line = detail == null || detail.isEmpty() ? reason : reason + ": " + detail;
          finish("session closed: " + line, code == CloseCode.NORMAL ? EXIT_OK : EXIT_REFUSED);
        });
  }

  // --- from the SSH client ---

  /** Reads the next slice unless input is paused or a read is under way. */
  private void readNext() {
    if (reading || inputPaused || closed || membership == null) {
      return;
    }
    reading = true;
    ByteArrayBuffer buffer = new ByteArrayBuffer(READ_CHUNK);
    IoReadFuture read = in.read(buffer);
    read.addListener(f -> context.runOnContext(v -> onRead(f, buffer)));
  }

  private void onRead(IoReadFuture f, ByteArrayBuffer buffer) {
    reading = false;
    if (f.getException() != null || closed) {
      leave("the SSH client closed its input");
      return;
    }
    byte[] bytes = new byte[buffer.available()];
    buffer.getRawBytes(bytes);
    lastInput = System.nanoTime();
    if (lastInput - lastTouch >= door.touchIntervalNanos()) {
      lastTouch = lastInput;
      door.touch(who.principal()); // a password sign-in's session stays alive while used
    }
    membership.input(Buffer.buffer(bytes));
    readNext();
  }

  /** A {@code break} request (RFC 4335; OpenSSH's {@code ~B}): a serial BREAK as the browser's. */
  void sendBreak(long millis) {
    context.runOnContext(
        v -> {
          if (membership == null || closed) {
            return;
          }
          lastInput = System.nanoTime();
          JsonObject msg = new JsonObject().put("type", "break");
          if (millis > 0) {
            msg.put("ms", (int) Math.min(millis, io.tether.protocol.LineSettings.MAX_BREAK_MILLIS));
          }
          try {
            membership.control("break", msg);
          } catch (IllegalArgumentException e) {
            note(e.getMessage());
          }
        });
  }

  /** Access is gone: out of the session with the reason. */
  void revoke(String detail) {
    context.runOnContext(
        v -> {
          if (membership != null) {
            membership.kick(CloseReasons.ACCESS_REVOKED, detail);
          } else {
            finish("session closed: " + CloseReasons.ACCESS_REVOKED + ": " + detail, EXIT_REFUSED);
          }
        });
  }

  // --- CredentialWatch.Holder: a password sign-in's session ends by itself (idle, absolute) ---

  @Override
  public Principal principal() {
    return who.principal();
  }

  @Override
  public void expired(String reason) {
    revoke("your sign-in ended (signed out, idle or past its lifetime): sign in again");
  }

  /** Closes an SSH session no one typed into for the idle timeout. */
  private void watchIdle() {
    long timeout = door.idleTimeout().toNanos();
    long every = Math.max(1000, Math.min(60_000, door.idleTimeout().toMillis() / 10));
    idleTimer =
        context
            .owner()
            .setPeriodic(
                every,
                id -> {
                  if (!closed && System.nanoTime() - lastInput >= timeout) {
                    String detail = "no input for " + door.idleTimeout().toMinutes() + " min";
                    if (membership != null) {
                      membership.kick(CloseReasons.IDLE, detail);
                    } else {
                      finish("session closed: " + CloseReasons.IDLE + ": " + detail, EXIT_OK);
                    }
                  }
                });
  }

  // --- ending ---

  /** One line on stderr, prefixed so it stands apart from the device's output. */
  private Future<Void> note(String line) {
    Promise<Void> done = Promise.promise();
    byte[] bytes = ("\r\n[tether] " + line + "\r\n").getBytes(StandardCharsets.UTF_8);
    try {
      err.writeBuffer(new ByteArrayBuffer(bytes))
          .addListener(f -> context.runOnContext(v -> done.tryComplete()));
    } catch (java.io.IOException | RuntimeException e) {
      done.tryComplete(); // a second note while one is pending, or a closed channel: dropped
    }
    return done.future();
  }

  /** Leaves the session (the client went away) without a word: no one is there to read it. */
  private void leave(String detail) {
    if (closed) {
      return;
    }
    ended();
    if (membership != null) {
      membership.leave(CloseReasons.CLOSED_BY_USER, detail);
    }
    exit.onExit(EXIT_OK, detail, true);
  }

  /** Says why on stderr, then ends the channel with {@code status}. */
  private void finish(String line, int status) {
    if (closed) {
      return;
    }
    ended();
    note(line).onComplete(v -> exit.onExit(status, line));
  }

  private void ended() {
    closed = true;
    if (watch != null) {
      watch.cancel();
    }
    if (idleTimer >= 0) {
      context.owner().cancelTimer(idleTimer);
    }
    for (Pending p : writes) {
      p.written().tryComplete();
    }
    writes.clear();
    if (lease != null) {
      lease.release();
    }
    door.ended(this);
  }
}
