package io.tether.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Messages;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bridge passes the device's bytes and its end to the CLI in order, within the CLI's credit. */
class ForwardBridgeTest {
  private static final int CLI_WINDOW = 64 * 1024;

  /** What the CLI was sent: "DATA n" or the frame type. */
  private final List<String> sent = new ArrayList<>();

  private final ForwardBridge.Cli cli =
      new ForwardBridge.Cli() {
        @Override
        public void send(Frame frame) {
          sent.add(frame.type().name());
        }

        @Override
        public void sendData(int id, Buffer slice) {
          sent.add("DATA " + slice.length());
        }

        @Override
        public void bridgeEnded(int id) {}

        @Override
        public void line(DeviceChannel channel, LineSettings settings) {}
      };

  @Test
  void theDevicesEofReachesTheCliOnlyAfterTheBytesStillWaitingForItsCredit() throws Exception {
    ForwardBridge bridge = new ForwardBridge(1, cli, CLI_WINDOW);
    // a device whose grown window is larger than the CLI's sends more than the CLI may take
    bridge.onData(Buffer.buffer(new byte[CLI_WINDOW + 1000]), () -> {});
    bridge.onEof();
    assertEquals(4, sent.size(), "four slices of the CLI's window, and no EOF yet: " + sent);
    bridge.onCliFrame(Frame.channel(FrameType.CREDIT, 1, Messages.credit(CLI_WINDOW)));
    assertEquals(List.of("DATA 1000", "EOF"), sent.subList(4, sent.size()));
  }

  @Test
  void anEofWithNothingWaitingGoesOutAtOnce() {
    ForwardBridge bridge = new ForwardBridge(1, cli, CLI_WINDOW);
    bridge.onData(Buffer.buffer(new byte[100]), () -> {});
    bridge.onEof();
    assertEquals(List.of("DATA 100", "EOF"), sent);
  }
}
