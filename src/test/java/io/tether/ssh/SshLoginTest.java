package io.tether.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SSH user name {@code USER:DEVICE[:TARGET]}. */
class SshLoginTest {
  @Test
  void userDeviceAndTargetAreSplitAtColons() {
    assertEquals(
        Optional.of(new SshLogin("alice", "plc-gateway-7", "console")),
        SshLogin.parse("alice:plc-gateway-7:console"));
  }

  @Test
  void aLoginWithoutTargetLeavesItToTheDevice() {
    assertEquals(Optional.of(new SshLogin("alice", "gw.1", null)), SshLogin.parse("alice:gw.1"));
  }

  @Test
  void aBareUserNameNamesNoDevice() {
    assertEquals(Optional.of(new SshLogin("alice", null, null)), SshLogin.parse("alice"));
  }

  @Test
  void rejectsEmptyPartsAndMoreThanThreeParts() {
    for (String bad : new String[] {"", ":gw", "alice:", "alice::console", "a:b:c:d", "a:b:"}) {
      assertTrue(SshLogin.parse(bad).isEmpty(), () -> "accepted '" + bad + "'");
    }
  }

  @Test
  void rejectsAPartLongerThanAnyName() {
    assertTrue(SshLogin.parse("alice:" + "d".repeat(SshLogin.MAX_PART + 1)).isEmpty());
  }

  @Test
  void printsAsItWasTyped() {
    assertEquals("alice:gw:console", new SshLogin("alice", "gw", "console").toString());
    assertEquals("alice:gw", new SshLogin("alice", "gw", null).toString());
  }
}
