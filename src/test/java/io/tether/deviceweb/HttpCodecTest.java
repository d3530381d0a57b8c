package io.tether.deviceweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 pieces the device-web proxy speaks over a channel, and its header rules. */
class HttpCodecTest {
  private static String decode(ChunkedDecoder d, String... parts) {
    StringBuilder out = new StringBuilder();
    for (String p : parts) {
      d.feed(Buffer.buffer(p), b -> out.append(b.toString()));
    }
    return out.toString();
  }

  @Test
  void chunkedBodiesDecodeAcrossAnySplit() {
    String wire = "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n";
    for (int cut = 0; cut <= wire.length(); cut++) {
      ChunkedDecoder d = new ChunkedDecoder();
      assertEquals(
          "Wikipedia in\r\n\r\nchunks.",
          decode(d, wire.substring(0, cut), wire.substring(cut)),
          "split at " + cut);
      assertTrue(d.done());
    }
  }

  @Test
  void chunkedDecoderStopsAtTheEndOfTheBody() {
    ChunkedDecoder d = new ChunkedDecoder();
    int used = d.feed(Buffer.buffer("1\r\na\r\n0\r\n\r\nNEXT"), b -> {});
    assertEquals(11, used, "the bytes after the body belong to no response");
    assertTrue(d.done());
  }

  @Test
  void rejectsABadChunkSize() {
    assertThrows(
        IllegalArgumentException.class, () -> decode(new ChunkedDecoder(), "zz\r\nabc\r\n"));
  }

  @Test
  void rejectsAChunkLineLongerThanTheLimit() {
    String line = "1" + ";".repeat(ChunkedDecoder.MAX_LINE + 1);
    assertThrows(IllegalArgumentException.class, () -> decode(new ChunkedDecoder(), line));
  }

  @Test
  void aResponseHeadIsReadOnceCompleteWithWhatFollows() {
    ResponseHead.Reader r = new ResponseHead.Reader();
    assertTrue(r.feed(Buffer.buffer("HTTP/1.1 302 Found\r\nLocation: /x\r\n")).isEmpty());
    ResponseHead h = r.feed(Buffer.buffer("Content-Length: 2\r\n\r\nhi")).orElseThrow();
    assertEquals(302, h.status());
    assertEquals("/x", h.header("location").orElseThrow());
    assertEquals(2, h.contentLength());
    assertEquals("hi", r.rest().toString());
  }

  @Test
  void rejectsAResponseHeadLongerThanTheLimit() {
    ResponseHead.Reader r = new ResponseHead.Reader();
    Buffer big = Buffer.buffer("HTTP/1.1 200 OK\r\nX: " + "a".repeat(ResponseHead.MAX_HEAD));
    assertThrows(IllegalArgumentException.class, () -> r.feed(big));
  }

  @Test
  void rejectsWhatIsNotAnHttpStatusLine() {
    assertThrows(IllegalArgumentException.class, () -> ResponseHead.parse("SSH-2.0-dropbear"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ResponseHead.parse("HTTP/1.1 200 OK\r\nContent-Length: -1").contentLength());
  }

  @Test
  void tethersCookieNeverReachesTheDevice() {
    assertEquals(
        "a=1; b=2",
        HeaderRules.deviceCookies("a=1; " + HeaderRules.COOKIE + "=s; b=2; tether_session=x"));
    assertNull(HeaderRules.deviceCookies(HeaderRules.COOKIE + "=s"));
  }

  @Test
  void aDeviceCookieLosesItsDomainAndNeverTakesTethersName() {
    assertEquals(
        "sid=1; Path=/; HttpOnly",
        HeaderRules.setCookie("sid=1; Path=/; Domain=.example.net; HttpOnly"));
    assertNull(HeaderRules.setCookie(HeaderRules.COOKIE + "=x; Path=/"));
    assertNull(HeaderRules.setCookie("__Host-tether_session=x; Path=/; Secure"));
  }

  @Test
  void redirectsAreRewrittenForTheDevicesOwnNamesOnly() {
    String origin = "https://d-abc.web.example";
    assertEquals(
        origin + "/cfg?a=1",
        HeaderRules.location("http://192.168.1.50/cfg?a=1", "192.168.1.50", origin));
    assertEquals(
        origin + "/", HeaderRules.location("http://192.168.1.50:80", "192.168.1.50", origin));
    assertEquals(
        "http://evil.example/x",
        HeaderRules.location("http://evil.example/x", "192.168.1.50", origin),
        "another site stays as it is");
    assertEquals("/relative", HeaderRules.location("/relative", "192.168.1.50", origin));
  }

  @Test
  void theHostIsTheDevicesOwnAddress() {
    assertEquals("192.168.1.50", HeaderRules.deviceHost("tcp 192.168.1.50:80", "ui", "http"));
    assertEquals("10.0.0.2:8080", HeaderRules.deviceHost("tcp 10.0.0.2:8080", "ui", "http"));
    assertEquals("cam", HeaderRules.deviceHost("tcp a b:1\r\nX: y", "cam", "http"));
  }

  @Test
  void channelLimitsQueueBeyondSixPerUserAndEightPerTarget() {
    ChannelLimits limits = new ChannelLimits();
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      int n = i;
      limits.acquire("1/web", 10, () -> started.add("a" + n));
    }
    assertEquals(ChannelLimits.PER_USER, started.size(), "a 7th request of one user waits");
    limits.acquire("1/web", 20, () -> started.add("b0"));
    limits.acquire("1/web", 20, () -> started.add("b1"));
    limits.acquire("1/web", 20, () -> started.add("b2"));
    assertEquals(ChannelLimits.PER_TARGET, started.size(), "8 per target in all");
    limits.release("1/web", 10);
    assertEquals("a6", started.get(started.size() - 1), "waiters run in order");
    limits.release("1/web", 10);
    assertEquals("b2", started.get(started.size() - 1), "the next one");
  }

  @Test
  void theQueueIsBounded() {
    ChannelLimits limits = new ChannelLimits();
    int accepted = 0;
    for (int i = 0; i < 200; i++) {
      if (limits.acquire("1/web", 10, () -> {})) {
        accepted++;
      }
    }
    assertEquals(ChannelLimits.PER_USER + ChannelLimits.MAX_WAITING, accepted);
  }

  @Test
  void rejectsARequestAnotherOriginsPageMade() {
    String own = "https://d-a.devices.example.net";
    assertNull(HeaderRules.foreign(own, null, null, null), "no Origin, no fetch metadata");
    assertNull(HeaderRules.foreign(own, own, "same-origin", "cors"), "its own page");
    assertNull(
        HeaderRules.foreign(own, null, "cross-site", "navigate"), "the user following a link");
    assertNotNull(
        HeaderRules.foreign(own, "https://d-b.devices.example.net", "same-site", "cors"),
        "another device page's fetch");
    assertNotNull(
        HeaderRules.foreign(own, null, "same-site", "no-cors"), "another device page's <img>");
    assertNotNull(
        HeaderRules.foreign(own, "https://d-b.devices.example.net", "same-site", "navigate"),
        "another device page's form post");
    assertNotNull(HeaderRules.foreign(own, "null", null, null), "an opaque origin");
    assertFalse(HeaderRules.returned("Access-Control-Allow-Origin"), "a device's CORS grant");
    assertFalse(HeaderRules.returned("access-control-allow-credentials"));
  }
}
