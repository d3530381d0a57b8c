package io.tether.agent;

import io.tether.protocol.LineSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The agent's serial targets, each kept open for the agent's whole life by one opener thread that
 * reopens a port after an unplug; at most one channel uses a line at a time.
 */
final class SerialLines implements AutoCloseable {
  private final Map<String, SerialLine> lines = new LinkedHashMap<>();
  private final Map<String, AtomicBoolean> busy = new LinkedHashMap<>();
  private final Thread opener;
  private volatile boolean running = true;

  SerialLines(
      Iterable<TargetSpec> targets,
      BiConsumer<String, SerialLine.Status> status,
      java.util.function.Consumer<String> log) {
    for (TargetSpec t : targets) {
      if (t.kind() == TargetSpec.Kind.SERIAL) {
        SerialSettings settings = SerialSettings.fromOptions(t.options());
        lines.put(
            t.name(),
            new SerialLine(
                t.path(),
                settings,
                s -> {
                  log.accept(
                      "target "
                          + t.name()
                          + " ("
                          + t.path()
                          + ") is "
                          + s.name().toLowerCase(java.util.Locale.ROOT));
                  status.accept(t.name(), s);
                }));
        busy.put(t.name(), new AtomicBoolean());
      }
    }
    opener = new Thread(this::keepOpen, "serial-opener");
    opener.setDaemon(true);
    opener.start();
  }

  private void keepOpen() {
    while (running) {
      for (SerialLine line : lines.values()) {
        try {
          line.checkPresent();
          line.ensureOpen();
        } catch (RuntimeException e) {
          // one misbehaving port must not stop the others from being watched
          line.reportError();
        }
      }
      try {
        Thread.sleep(
            SerialLine.REOPEN_INTERVAL.toMillis()); // a poll interval, not a wait for an event
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** A stream on the line, or null when another channel holds it or it is not open. */
  SerialStream claim(String target) {
    SerialLine line = lines.get(target);
    if (line == null || !line.ensureOpen()) {
      return null;
    }
    AtomicBoolean flag = busy.get(target);
    return flag.compareAndSet(false, true) ? new SerialStream(line, flag) : null;
  }

  boolean isBusy(String target) {
    AtomicBoolean flag = busy.get(target);
    return flag != null && flag.get();
  }

  SerialLine.Status status(String target) {
    SerialLine line = lines.get(target);
    return line == null ? SerialLine.Status.MISSING : line.status();
  }

  static SerialSettings merge(SerialSettings s, LineSettings l) {
    int baud = l.has(LineSettings.BAUD) ? (int) l.baud() : s.baud();
    int dataBits = l.has(LineSettings.DATA_BITS) ? l.dataBits() : s.dataBits();
    SerialSettings.Parity parity =
        l.has(LineSettings.PARITY) ? SerialSettings.Parity.values()[l.parity()] : s.parity();
    SerialSettings.StopBits stop =
        !l.has(LineSettings.STOP_BITS)
            ? s.stopBits()
            : switch (l.stopBits()) {
              case 2 -> SerialSettings.StopBits.TWO;
              case LineSettings.STOP_ONE_AND_HALF -> SerialSettings.StopBits.ONE_AND_HALF;
              default -> SerialSettings.StopBits.ONE;
            };
    SerialSettings.Flow flow =
        l.has(LineSettings.FLOW) ? SerialSettings.Flow.values()[l.flowControl()] : s.flow();
    return new SerialSettings(baud, dataBits, parity, stop, flow);
  }

  @Override
  public void close() {
    running = false;
    opener.interrupt();
    lines.values().forEach(SerialLine::close);
  }
}
