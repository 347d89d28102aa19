// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.service.ipam.PoolStore;

/** A pool store whose record writes pass the term's gate (fence checked right before the write). */
final class FencedPoolStore implements PoolStore {
  private final PoolStore delegate;
  private final TermGate gate;

  FencedPoolStore(PoolStore delegate, TermGate gate) {
    this.delegate = delegate;
    this.gate = gate;
  }

  @Override
  public Snapshot read(String pool) {
    return delegate.read(pool);
  }

  @Override
  public String writeRecords(String pool, String resourceVersion, PoolRecords records) {
    return gate.write(() -> delegate.writeRecords(pool, resourceVersion, records));
  }
}
