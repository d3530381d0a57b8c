package io.tether.tunnel;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.vertx.core.buffer.Buffer;

/**
 * One open byte stream to a device target, as its consumer (a session, a forwarded connection) uses
 * it: over an agent's tunnel or a raw TCP ingress connection alike. Callable from any thread.
 */
public interface DeviceChannel {
  String target();

  long deviceId();

  /** Queues bytes for the device. Honour {@link #writeQueueFull()}; never drops bytes. */
  void write(Buffer data);

  /** True while enough waits for the device: stop reading your source until onWritable. */
  boolean writeQueueFull();

  /** Half-close: after the queued bytes, the device learns no more will come. */
  void end();

  /**
   * Applies serial line settings on this channel; ignored where the target cannot take them, and
   * dropped once the channel is closed.
   */
  void line(LineSettings settings);

  /** Aborts the channel both ways. */
  void close(Reason reason);
}
