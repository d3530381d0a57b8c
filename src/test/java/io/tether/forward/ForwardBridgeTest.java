package io.tether.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Messages;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.TunnelCloseCode;
import io.tether.testing.FakeDeviceChannel;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A bridge passes the device's bytes and its end to the CLI in order, within the CLI's credit, and
 * releases the device's credit per hop: once the CLI's socket took a buffer's last slice.
 */
class ForwardBridgeTest {
  private static final int CLI_WINDOW = 64 * 1024;

  /** What the CLI was sent: "DATA n" or the frame type. */
  private final List<String> sent = new ArrayList<>();

  /** What runs once the socket took each DATA slice (null: nothing), in the order sent. */
  private final List<Runnable> written = new ArrayList<>();

  private final ForwardBridge.Cli cli =
      new ForwardBridge.Cli() {
        @Override
        public void send(Frame frame) {
          sent.add(frame.type().name());
        }

        @Override
        public void sendData(int id, Buffer slice, Runnable whenWritten) {
          sent.add("DATA " + slice.length());
          written.add(whenWritten);
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

  @Test
  void theDevicesCreditIsReleasedOnceTheSocketTookTheBuffersLastSlice() {
    ForwardBridge bridge = new ForwardBridge(1, cli, CLI_WINDOW);
    AtomicInteger delivered = new AtomicInteger();
    bridge.onData(Buffer.buffer(new byte[40 * 1024]), delivered::incrementAndGet);
    assertEquals(List.of("DATA 16384", "DATA 16384", "DATA 8192"), sent);
    assertNull(written.get(0), "a buffer's earlier slices release nothing");
    assertNull(written.get(1));
    assertEquals(0, delivered.get(), "queued for the socket is not delivered");
    written.get(2).run();
    assertEquals(1, delivered.get(), "the socket took the last slice: delivered");
  }

  @Test
  void theClisCreditDoesNotReleaseTheDevicesCredit() throws Exception {
    ForwardBridge bridge = new ForwardBridge(1, cli, CLI_WINDOW);
    AtomicInteger delivered = new AtomicInteger();
    bridge.onData(Buffer.buffer(new byte[1000]), delivered::incrementAndGet);
    bridge.onCliFrame(Frame.channel(FrameType.CREDIT, 1, Messages.credit(1000)));
    assertEquals(0, delivered.get(), "credit per hop: the CLI's grant is the CLI hop's own");
    written.get(0).run();
    assertEquals(1, delivered.get());
  }

  @Test
  void bytesWaitingForTheClisCreditHoldTheDevicesCredit() throws Exception {
    ForwardBridge bridge = new ForwardBridge(1, cli, CLI_WINDOW);
    AtomicInteger delivered = new AtomicInteger();
    bridge.onData(Buffer.buffer(new byte[CLI_WINDOW + 1000]), delivered::incrementAndGet);
    written.stream().filter(w -> w != null).forEach(Runnable::run);
    assertEquals(0, delivered.get(), "1000 bytes still wait for the CLI's credit");
    bridge.onCliFrame(Frame.channel(FrameType.CREDIT, 1, Messages.credit(CLI_WINDOW)));
    assertEquals("DATA 1000", sent.get(sent.size() - 1));
    written.get(written.size() - 1).run();
    assertEquals(1, delivered.get());
  }

  /** A device channel that also keeps each buffer it was given, as given. */
  private static final class Device extends FakeDeviceChannel {
    final List<Buffer> given = new ArrayList<>();

    @Override
    public void write(Buffer data) {
      given.add(data);
      super.write(data);
    }
  }

  @Test
  void anUploadsPayloadReachesTheDeviceChannelAsTheViewItArrivedInAndIsCreditedBack()
      throws Exception {
    ForwardBridge bridge = new ForwardBridge(1, cli, CLI_WINDOW);
    Device device = new Device();
    bridge.onOpened(device);
    Buffer message = Buffer.buffer(new byte[8 + CLI_WINDOW / 2]);
    Buffer payload = message.slice(8, message.length());
    bridge.onCliData(payload);
    assertSame(payload, device.given.get(0), "the payload is passed on, not copied");
    assertEquals(List.of("OPENED", "CREDIT"), sent, "half the window written: credit goes back");
  }

  @Test
  void dataBeyondTheWindowTheCliWasGrantedIsAProtocolError() throws Exception {
    ForwardBridge bridge = new ForwardBridge(1, cli, CLI_WINDOW);
    Device device = new Device();
    device.full = true; // nothing written is credited back to the CLI
    bridge.onOpened(device);
    bridge.onCliData(Buffer.buffer(new byte[CLI_WINDOW]));
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> bridge.onCliData(Buffer.buffer(new byte[1])));
    assertEquals(TunnelCloseCode.CREDIT_EXCEEDED, e.closeCode());
    assertEquals(CLI_WINDOW, device.toDevice.length(), "the byte beyond the window went nowhere");
  }

  @Test
  void dataBeforeTheDeviceOpenedIsAProtocolError() {
    ForwardBridge bridge = new ForwardBridge(1, cli, CLI_WINDOW);
    assertThrows(ProtocolException.class, () -> bridge.onCliData(Buffer.buffer(new byte[1])));
    assertEquals(List.of(), sent);
  }
}
