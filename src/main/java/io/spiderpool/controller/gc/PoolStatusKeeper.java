// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pool's finalizer and counters (docs/spiderpool-compat.md#finalizers): the finalizer is added
 * while the pool lives and removed once it is terminating with no records left; {@code
 * totalIPCount} is the size of {@code ips} minus {@code excludeIPs} and {@code allocatedIPCount}
 * the number of records. The agents write {@code allocatedIPs} concurrently, so every write is a
 * compare-and-set on the version just read, never a blind status write; a lost race re-reads.
 */
final class PoolStatusKeeper {
  private static final int ATTEMPTS = 8;
  private final KubernetesClient client;
  private final TermGate gate;

  PoolStatusKeeper(KubernetesClient client, TermGate gate) {
    this.client = client;
    this.gate = gate;
  }

  /** Brings finalizer and counters in line with a fresh read. Returns false if the pool is gone. */
  boolean settle(String name) {
    return settle(name, null);
  }

  /**
   * Brings finalizer and counters in line, deciding first on {@code cached} (the reconciled copy
   * from the watch cache; null: read fresh). Nothing is lost by a stale copy: every write is a
   * compare-and-set on its resourceVersion, a conflict re-reads, and a copy that looked settled but
   * was not is followed by the event of the newer version. What it saves is a read of the whole
   * pool (its records) for each of the agents' status writes.
   */
  boolean settle(String name, SpiderIPPool cached) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      SpiderIPPool p =
          attempt == 0 && cached != null
              ? cached
              : client.resources(SpiderIPPool.class).withName(name).get();
      if (p == null) {
        return false;
      }
      try {
        if (settleOnce(p)) {
          return true;
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return false;
        }
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    throw new IllegalStateException(
        "SpiderIPPool " + name + " kept changing; " + ATTEMPTS + " attempts lost");
  }

  /** One read-decide-write round; true when nothing (more) needs writing. */
  private boolean settleOnce(SpiderIPPool p) {
    PoolRecords records =
        PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
    boolean terminating = p.getMetadata().getDeletionTimestamp() != null;
    List<String> finalizers =
        p.getMetadata().getFinalizers() == null ? List.of() : p.getMetadata().getFinalizers();
    boolean finalized = finalizers.contains(SpiderpoolApi.FINALIZER);
    if (terminating && records.size() == 0) {
      if (finalized) {
        SpiderIPPool copy = client.getKubernetesSerialization().clone(p);
        copy.getMetadata().setFinalizers(without(finalizers));
        gate.write(() -> client.resource(copy).update());
      }
      return true;
    }
    if (!terminating && !finalized) {
      SpiderIPPool copy = client.getKubernetesSerialization().clone(p);
      List<String> more = new ArrayList<>(finalizers);
      more.add(SpiderpoolApi.FINALIZER);
      copy.getMetadata().setFinalizers(more);
      gate.write(() -> client.resource(copy).update());
      return false; // the counters are looked at on the next read
    }
    SpiderIPPoolStatus s = p.getStatus() == null ? new SpiderIPPoolStatus() : p.getStatus();
    long total = total(p);
    if (Objects.equals(s.getTotalIPCount(), total)
        && Objects.equals(s.getAllocatedIPCount(), (long) records.size())) {
      return true;
    }
    SpiderIPPool copy = client.getKubernetesSerialization().clone(p);
    SpiderIPPoolStatus cs = copy.getStatus() == null ? new SpiderIPPoolStatus() : copy.getStatus();
    cs.setTotalIPCount(total);
    cs.setAllocatedIPCount((long) records.size());
    copy.setStatus(cs);
    gate.write(() -> client.resource(copy).updateStatus());
    return true;
  }

  static long total(SpiderIPPool p) {
    var spec = p.getSpec();
    return PoolSpace.of(spec.getSubnet(), spec.getIps(), spec.getExcludeIPs(), null, null)
        .totalIpCount();
  }

  private static List<String> without(List<String> finalizers) {
    List<String> rest = new ArrayList<>(finalizers);
    rest.remove(SpiderpoolApi.FINALIZER);
    return rest;
  }
}
