package io.tether.cli.rfc2217;

import io.tether.protocol.LineSettings;
import io.tether.protocol.ProtocolLimits;
import io.tether.wsclient.ByteStream;
import io.tether.wsclient.TcpStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A forwarded connection that speaks RFC 2217: Telnet is decoded and stripped from what goes to the
 * device, COM-PORT-OPTION commands become LINE frames, and device bytes reach the client with 0xFF
 * doubled. Reads and replies run on the channel's reader thread, device bytes on its writer.
 *
 * <p>A LINE change is sent after the data the client sent before it: the decoder stops at the
 * change, that data goes out as DATA first, and the held LINE follows ({@link #sent()}).
 */
public final class Rfc2217Stream implements ByteStream {
  private final TcpStream client;
  private final Consumer<LineSettings> lineSender;
  private final TelnetDecoder decoder;
  private final byte[] raw = new byte[ProtocolLimits.DATA_SLICE];
  private final ArrayDeque<LineSettings> held = new ArrayDeque<>();
  private final Object clientWrites = new Object();
  private int rawOffset;
  private int rawLength;

  /**
   * @param lineSender sends a LINE frame on this connection's channel
   * @param log one line for the user, e.g. a malformed command that was dropped
   */
  public Rfc2217Stream(TcpStream client, Consumer<LineSettings> lineSender, Consumer<String> log) {
    this.client = client;
    this.lineSender = lineSender;
    Rfc2217Server server =
        new Rfc2217Server(
            new Rfc2217Server.Output() {
              @Override
              public void toClient(byte[] bytes) {
                try {
                  writeToClient(bytes);
                } catch (IOException e) {
                  throw new UncheckedIOException(e); // read() turns it back into an IOException
                }
              }

              @Override
              public void line(LineSettings settings) {
                held.addLast(settings);
              }

              @Override
              public void log(String line) {
                log.accept(line);
              }
            },
            System::nanoTime);
    this.decoder = new TelnetDecoder(server);
  }

  @Override
  public int read(byte[] buffer, int max) throws IOException {
    sendHeld();
    if (rawLength == 0) {
      int n = client.read(raw, raw.length);
      if (n <= 0) {
        return n;
      }
      rawOffset = 0;
      rawLength = n;
    }
    TelnetDecoder.Step step;
    try {
      // data never outgrows its input, so at most max bytes are written
      step = decoder.feed(raw, rawOffset, Math.min(rawLength, max), buffer, 0);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    rawOffset += step.consumed();
    rawLength -= step.consumed();
    if (step.data() == 0) {
      sendHeld(); // no data to wait for
    }
    return step.data();
  }

  /** A Telnet client that stops sending has gone: the channel ends and frees the port. */
  @Override
  public boolean halfCloses() {
    return false;
  }

  @Override
  public void sent() {
    sendHeld();
  }

  private void sendHeld() {
    LineSettings next;
    while ((next = held.pollFirst()) != null) {
      lineSender.accept(next);
    }
  }

  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    writeToClient(Telnet.escape(buffer, offset, length));
  }

  private void writeToClient(byte[] bytes) throws IOException {
    synchronized (clientWrites) {
      client.write(bytes, 0, bytes.length);
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    client.shutdownOutput();
  }

  @Override
  public void line(LineSettings settings) throws IOException {
    throw new IOException("the CLI's end of a channel has no serial line");
  }

  @Override
  public void close() {
    client.close();
  }
}
