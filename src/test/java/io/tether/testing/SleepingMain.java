package io.tether.testing;

/**
 * A main class that starts and never dials: AgentUpgradeIT packs it into a jar that an agent
 * upgrades to, to see the launcher roll it back.
 */
public final class SleepingMain {
  private SleepingMain() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("sleeping instead of connecting");
    new java.util.concurrent.CountDownLatch(1).await(); // until the launcher stops it
  }
}
