package io.tether.bench;

import io.tether.fault.SlowConsumerIT;

/** {@link SlowConsumerIT} at the benchmark size: 1 GiB through a slow consumer. */
class SlowConsumerBench extends SlowConsumerIT {
  @Override
  protected long bytes() {
    return BENCH_BYTES;
  }
}
