package io.tether.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The harness' peers behave like the real things later tests rely on. */
class HarnessIT {
  private static byte[] allByteValues() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    return all;
  }

  private static byte[] readFully(RandomAccessFile file, int n) throws Exception {
    byte[] buffer = new byte[n];
    int read = 0;
    while (read < n) {
      int r = file.read(buffer, read, n - read);
      if (r < 0) {
        throw new AssertionError("end of stream after " + read + " bytes");
      }
      read += r;
    }
    return buffer;
  }

  @Test
  void socatPtyPairCarriesEveryByteValueBothWays() throws Exception {
    try (SocatPty pty = SocatPty.open();
        RandomAccessFile device = pty.openDeviceSide();
        RandomAccessFile test = pty.openTestSide()) {
      device.write(allByteValues());
      assertArrayEquals(allByteValues(), readFully(test, 256));
      test.write(allByteValues());
      assertArrayEquals(allByteValues(), readFully(device, 256));
    }
  }

  @Test
  void echoServerEchoesEveryByteValue() throws Exception {
    try (EchoServer echo = EchoServer.start();
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), echo.port())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(allByteValues());
      assertArrayEquals(allByteValues(), in.readNBytes(256));
    }
  }
}
