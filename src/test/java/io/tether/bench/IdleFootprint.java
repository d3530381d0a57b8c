package io.tether.bench;

/**
 * One portal's memory at rest, for P2: RSS, heap used and committed right after a forced full GC,
 * open files and threads; a sample with tunnels is read against the same portal's 0-tunnel sample.
 */
record IdleFootprint(long rssKb, long heapKb, long committedKb, int fds, int threads) {
  /** Forces a full GC in the portal, then reads its heap, RSS, open files and threads. */
  static IdleFootprint of(PortalProbe probe) {
    PortalProbe.Heap heap = probe.heapAfterGc();
    return new IdleFootprint(
        probe.rssKb(), heap.usedKb(), heap.committedKb(), probe.openFds(), probe.threads());
  }

  /** KiB of RSS each of {@code tunnels} adds over the 0-tunnel {@code base}. */
  double rssPerTunnelKb(IdleFootprint base, int tunnels) {
    return (rssKb - base.rssKb) / (double) tunnels;
  }

  /** KiB of heap after GC each of {@code tunnels} adds over the 0-tunnel {@code base}. */
  double heapPerTunnelKb(IdleFootprint base, int tunnels) {
    return (heapKb - base.heapKb) / (double) tunnels;
  }

  /** "RSS 241.0 MiB, heap after GC 19.5 MiB (committed 64 MiB), 123 fds, 80 threads". */
  String describe() {
    return String.format(
        "RSS %.1f MiB, heap after GC %.1f MiB (committed %.0f MiB), %d fds, %d threads",
        rssKb / 1024.0, heapKb / 1024.0, committedKb / 1024.0, fds, threads);
  }
}
