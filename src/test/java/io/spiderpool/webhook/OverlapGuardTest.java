// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.admission.AddressSpec;
import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import io.spiderpool.core.admission.Operation;
import io.spiderpool.core.admission.Rejection;
import io.spiderpool.core.admission.Validator;
import io.spiderpool.core.config.ClusterConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The claim protocol against an in-memory store with the API server's compare-and-set. */
class OverlapGuardTest {
  private static final Validator VALIDATOR = new Validator(ClusterConfig.DEFAULTS);

  /** A ConfigMap as the API server keeps it: a write based on a stale version loses. */
  static final class MemoryClaims implements ClaimStore {
    private Map<String, String> data = Map.of();
    private long version;

    @Override
    public synchronized Snapshot read() {
      return new Snapshot(data, version == 0 ? null : Long.toString(version));
    }

    @Override
    public synchronized boolean replace(Snapshot basis, Map<String, String> next) {
      String current = version == 0 ? null : Long.toString(version);
      if (!java.util.Objects.equals(current, basis.version())) {
        return false;
      }
      data = Map.copyOf(next);
      version++;
      return true;
    }
  }

  private static AdmissionObject pool(String name, String ips) {
    return AdmissionObject.of(AdmissionKind.IPPOOL, name, new AddressSpec(4L, "10.0.0.0/24", List.of(ips), null,
        null, null, false));
  }

  @Test
  void ofConcurrentOverlappingAdmissionsWithNothingStoredOnlyOneGetsIn() throws Exception {
    MemoryClaims claims = new MemoryClaims();
    OverlapGuard guard = new OverlapGuard(kind -> List.of(), claims, Duration.ofSeconds(30), Clock.systemUTC());
    int n = 4;
    CyclicBarrier barrier = new CyclicBarrier(n);
    ExecutorService exec = Executors.newFixedThreadPool(n);
    List<Future<String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AdmissionObject p = pool("p" + i, "10.0.0." + (10 + i) + "-10.0.0.50");
      out.add(exec.submit(() -> {
        barrier.await();
        try {
          guard.admit(VALIDATOR, Operation.CREATE, p, null, false);
          return "admitted";
        } catch (Rejection r) {
          return r.getMessage();
        }
      }));
    }
    List<String> results = new ArrayList<>();
    for (Future<String> f : out) {
      results.add(f.get(10, TimeUnit.SECONDS));
    }
    exec.shutdown();
    assertThat(results).filteredOn("admitted"::equals).hasSize(1);
    assertThat(results).filteredOn(r -> !r.equals("admitted"))
        .allSatisfy(r -> assertThat(r).contains("admitted 0s ago and not stored yet"));
  }

  @Test
  void aDryRunRecordsNothingAndALapsedClaimBlocksNothing() {
    MemoryClaims claims = new MemoryClaims();
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    new OverlapGuard(kind -> List.of(), claims, Duration.ofSeconds(30), Clock.fixed(t0, ZoneOffset.UTC))
        .admit(VALIDATOR, Operation.CREATE, pool("a", "10.0.0.1-10.0.0.9"), null, true);
    assertThat(claims.read().data()).isEmpty();

    new OverlapGuard(kind -> List.of(), claims, Duration.ofSeconds(30), Clock.fixed(t0, ZoneOffset.UTC))
        .admit(VALIDATOR, Operation.CREATE, pool("a", "10.0.0.1-10.0.0.9"), null, false);
    assertThat(claims.read().data()).containsOnlyKeys("ippool.a");
    Clock later = Clock.fixed(t0.plusSeconds(31), ZoneOffset.UTC);
    new OverlapGuard(kind -> List.of(), claims, Duration.ofSeconds(30), later)
        .admit(VALIDATOR, Operation.CREATE, pool("b", "10.0.0.5"), null, false);
    assertThat(claims.read().data()).as("the lapsed claim was pruned").containsOnlyKeys("ippool.b");
  }
}
