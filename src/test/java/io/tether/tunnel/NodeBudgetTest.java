package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodeBudgetTest {
  private final NodeBudget budget = new NodeBudget(1000);

  @Test
  void isExhaustedOnceTheNodeHoldsItsLimit() {
    budget.hold(999);
    assertFalse(budget.exhausted());
    budget.hold(1);
    assertTrue(budget.exhausted());
  }

  @Test
  void deferredGrantsResumeOnlyAfterDrainingBelowHalf() {
    AtomicInteger resumed = new AtomicInteger();
    budget.hold(1000);
    budget.whenDrained(resumed::incrementAndGet);
    budget.release(400);
    assertEquals(0, resumed.get(), "600 held is still above half the budget");
    budget.release(200);
    assertEquals(1, resumed.get());
    budget.release(100);
    assertEquals(1, resumed.get(), "a waiter resumes once");
  }

  @Test
  void waiterRegisteredAfterDrainingRunsAtOnce() {
    AtomicInteger resumed = new AtomicInteger();
    budget.hold(100);
    budget.whenDrained(resumed::incrementAndGet);
    assertEquals(1, resumed.get());
  }

  @Test
  void grownWindowsTakeAtMostHalfTheBudgetAndShowWhatTheyTake() {
    assertEquals(0, budget.grown());
    assertEquals(300, budget.growth().take(300));
    assertEquals(200, budget.growth().take(300), "half the budget is all windows may grow by");
    assertEquals(500, budget.grown());
    budget.growth().give(300);
    assertEquals(200, budget.grown(), "a window that shrank gave its growth back");
  }
}
