package io.tether.testing;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel to device 7's target "console" that keeps what it was given: the bytes written, the
 * line settings, how it was closed; {@code full} says whether its write queue is full.
 */
public class FakeDeviceChannel implements DeviceChannel {
  public final Buffer toDevice = Buffer.buffer();
  public final List<LineSettings> lines = new ArrayList<>();
  public boolean full;
  public Reason closedWith;

  @Override
  public String target() {
    return "console";
  }

  @Override
  public long deviceId() {
    return 7;
  }

  @Override
  public void write(Buffer data) {
    toDevice.appendBuffer(data);
  }

  @Override
  public boolean writeQueueFull() {
    return full;
  }

  @Override
  public void end() {}

  @Override
  public void line(LineSettings settings) {
    lines.add(settings);
  }

  @Override
  public void close(Reason reason) {
    closedWith = reason;
  }
}
