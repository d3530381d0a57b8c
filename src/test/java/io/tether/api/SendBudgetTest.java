package io.tether.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendBudgetTest {
  @Test
  void refusesAWritePastTheBoundAndStaysExhausted() {
    SendBudget budget = new SendBudget(100);
    assertTrue(budget.take(60));
    budget.give(60);
    assertTrue(budget.take(100), "completed writes give their bytes back");
    assertFalse(budget.take(1), "one byte past the bound");
    budget.give(100);
    assertFalse(budget.take(1), "a client that stopped reading once stays refused");
    assertTrue(budget.exhausted());
  }
}
