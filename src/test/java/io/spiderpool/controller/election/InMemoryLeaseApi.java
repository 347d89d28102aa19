// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import java.util.concurrent.atomic.AtomicInteger;

/** {@link LeaseApi} in memory, with the API server's compare-and-set on the resourceVersion. */
final class InMemoryLeaseApi implements LeaseApi {
  private LeaseRecord stored;
  private final AtomicInteger version = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();

  @Override
  public synchronized LeaseRecord get() {
    return stored;
  }

  @Override
  public synchronized LeaseRecord create(LeaseRecord record) {
    if (stored != null) {
      throw new Conflict("exists");
    }
    return store(record);
  }

  @Override
  public synchronized LeaseRecord update(LeaseRecord record) {
    if (stored == null || !stored.resourceVersion().equals(record.resourceVersion())) {
      throw new Conflict("stale version " + record.resourceVersion());
    }
    return store(record);
  }

  private LeaseRecord store(LeaseRecord r) {
    writes.incrementAndGet();
    stored =
        new LeaseRecord(
            r.holder(),
            r.leaseDurationSeconds(),
            r.acquireTime(),
            r.renewTime(),
            r.transitions(),
            Integer.toString(version.incrementAndGet()));
    return stored;
  }
}
