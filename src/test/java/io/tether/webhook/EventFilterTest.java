package io.tether.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventFilterTest {
  @Test
  void exactTypesMatchOnlyThemselves() {
    EventFilter f = new EventFilter(List.of("device.online"));
    assertTrue(f.matches("device.online"));
    assertFalse(f.matches("device.offline"));
  }

  @Test
  void aPrefixMatchesItsFamilyOnly() {
    EventFilter f = new EventFilter(List.of("device.*"));
    assertTrue(f.matches("device.token-rotated"));
    assertFalse(f.matches("session.started"));
    assertFalse(f.matches("devices.x"));
  }

  @Test
  void auditPrefixTakesEveryAuditAction() {
    assertTrue(new EventFilter(List.of("audit.*")).matches("audit.webhook.create"));
  }

  @Test
  void starMatchesEverything() {
    assertTrue(new EventFilter(List.of("*")).matches("session.ended"));
  }

  @Test
  void rejectsUnknownTypesAndFamilies() {
    assertNotNull(EventFilter.problem("device.exploded"));
    assertNotNull(EventFilter.problem("widget.*"));
    assertNull(EventFilter.problem("node.*"));
    assertNull(EventFilter.problem("device.flapping"));
    assertNotNull(EventFilter.problem(""));
    assertNull(EventFilter.problem("audit.device.create"));
    assertNull(EventFilter.problem("session.*"));
  }

  @Test
  void groupFilterAppliesToEventsAboutADeviceOnly() {
    Webhook w = new Webhook();
    w.events = new String[] {"*"};
    w.groupIds = new Long[] {7L};
    assertTrue(Deliveries.takes(w, "device.online", 7L));
    assertFalse(Deliveries.takes(w, "device.online", 8L));
    assertTrue(Deliveries.takes(w, "audit.user.login", null));
  }
}
