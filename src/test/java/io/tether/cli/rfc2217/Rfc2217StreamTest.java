package io.tether.cli.rfc2217;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.protocol.LineSettings;
import io.tether.wsclient.TcpStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RFC 2217 stream over a real loopback connection: ordering and escaping. */
class Rfc2217StreamTest {
  private ServerSocket listener;
  private Socket client;
  private Rfc2217Stream stream;
  private final List<LineSettings> sentLines = new ArrayList<>();

  @BeforeEach
  void connect() throws Exception {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    client.setSoTimeout(5000);
    stream = new Rfc2217Stream(new TcpStream(listener.accept()), sentLines::add, line -> {});
  }

  @AfterEach
  void close() throws Exception {
    stream.close();
    client.close();
    listener.close();
  }

  /** Reads until {@code n} data bytes came (each read waits at most TcpStream's read timeout). */
  private byte[] readData(int n) throws Exception {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    byte[] buffer = new byte[64];
    for (int tries = 0; data.size() < n && tries < 50; tries++) {
      int got = stream.read(buffer, buffer.length);
      data.write(buffer, 0, Math.max(got, 0));
    }
    return data.toByteArray();
  }

  @Test
  void aLineChangeIsSentAfterTheDataBeforeItAndBeforeTheDataAfterIt() throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.write('a');
    wire.writeBytes(Telnet.comPort(Telnet.SET_DATASIZE, new byte[] {7}));
    wire.write('b');
    client.getOutputStream().write(wire.toByteArray());

    assertArrayEquals(new byte[] {'a'}, readData(1), "data before the change comes alone");
    assertEquals(List.of(), sentLines, "the LINE waits until 'a' went out");
    stream.sent();
    assertEquals(1, sentLines.size(), "the LINE follows the data before it");
    assertArrayEquals(new byte[] {'b'}, readData(1));
    assertEquals(7, sentLines.get(0).dataBits());
    byte[] reply = client.getInputStream().readNBytes(7);
    assertArrayEquals(Telnet.comPort(102, new byte[] {7}), reply);
  }

  @Test
  void aLineChangeWithNoDataBeforeItIsSentAtOnce() throws Exception {
    client.getOutputStream().write(Telnet.comPort(Telnet.SET_PARITY, new byte[] {3}));
    for (int tries = 0; sentLines.isEmpty() && tries < 50; tries++) {
      assertEquals(0, stream.read(new byte[64], 64));
    }
    assertEquals(LineSettings.PARITY_EVEN, sentLines.get(0).parity());
  }

  @Test
  void deviceBytesReachTheClientWithFFDoubled() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    stream.write(all, 0, all.length);
    byte[] got = client.getInputStream().readNBytes(257);
    assertArrayEquals(Telnet.escape(all, 0, all.length), got);
    assertEquals((byte) 0xff, got[256]);
  }

  @Test
  void readsNeverReturnMoreThanTheCreditAllows() throws Exception {
    client.getOutputStream().write("hello".getBytes());
    byte[] buffer = new byte[64];
    int got = 0;
    for (int tries = 0; got == 0 && tries < 50; tries++) {
      got = stream.read(buffer, 2);
    }
    assertEquals(2, got);
    assertArrayEquals("llo".getBytes(), readData(3), "the rest was kept, not lost");
  }
}
