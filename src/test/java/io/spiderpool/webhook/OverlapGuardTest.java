// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.admission.AddressSpec;
import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import io.spiderpool.core.admission.Claim;
import io.spiderpool.core.admission.ClaimBook;
import io.spiderpool.core.admission.Operation;
import io.spiderpool.core.admission.Rejection;
import io.spiderpool.core.admission.Validator;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.range.RangeList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The claim protocol against an in-memory store with the API server's compare-and-set. */
class OverlapGuardTest {
  private static final Validator VALIDATOR = new Validator(ClusterConfig.DEFAULTS);
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** A ConfigMap as the API server keeps it: a write based on a stale version loses. */
  static class MemoryClaims implements ClaimStore {
    private Map<String, String> data = Map.of();
    private long version;

    @Override
    public synchronized Snapshot read() {
      return new Snapshot(data, version == 0 ? null : Long.toString(version));
    }

    @Override
    public synchronized boolean replace(Snapshot basis, Map<String, String> next) {
      String current = version == 0 ? null : Long.toString(version);
      if (!Objects.equals(current, basis.version())) {
        return false;
      }
      data = Map.copyOf(next);
      version++;
      return true;
    }
  }

  /** Stored pools; a test stores an admitted pool as the API server would. */
  static final class Stored implements ClusterObjects {
    final List<AdmissionObject> pools = new CopyOnWriteArrayList<>();

    @Override
    public List<AdmissionObject> list(AdmissionKind kind) {
      return kind == AdmissionKind.IPPOOL ? List.copyOf(pools) : List.of();
    }
  }

  /** A clock the guard's pauses move forward, so waiting for a lapse takes no real time. */
  static final class SteppedClock extends Clock {
    private Instant now;

    SteppedClock(Instant start) {
      now = start;
    }

    synchronized void advance(long millis) {
      now = now.plusMillis(millis);
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static AdmissionObject pool(String name, String ips) {
    return AdmissionObject.of(
        AdmissionKind.IPPOOL,
        name,
        new AddressSpec(4L, "10.0.0.0/24", List.of(ips), null, null, null, false));
  }

  private static void forge(MemoryClaims claims, String name, String ips, Instant at) {
    Cidr c = Cidr.parse("10.0.0.0/24");
    ClaimStore.Snapshot snap = claims.read();
    Claim forged =
        new Claim(
            AdmissionKind.IPPOOL,
            name,
            c,
            RangeList.parse("ips", List.of(ips), c),
            at,
            ClaimBook.nextSeq(snap.data()));
    assertThat(claims.replace(snap, ClaimBook.record(snap.data(), forged, at, TTL))).isTrue();
  }

  @Test
  void ofConcurrentOverlappingAdmissionsOnlyOneGetsInAndTheOthersNameIt() throws Exception {
    MemoryClaims claims = new MemoryClaims();
    Stored stored = new Stored();
    OverlapGuard guard = new OverlapGuard(stored, claims, TTL, Clock.systemUTC());
    int n = 4;
    CyclicBarrier barrier = new CyclicBarrier(n);
    ExecutorService exec = Executors.newFixedThreadPool(n);
    List<Future<String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AdmissionObject p = pool("p" + i, "10.0.0." + (10 + i) + "-10.0.0.50");
      out.add(
          exec.submit(
              () -> {
                barrier.await();
                try {
                  guard.admit(VALIDATOR, Operation.CREATE, p, null, false);
                  stored.pools.add(p); // the API server stores what was admitted
                  return "admitted";
                } catch (Rejection r) {
                  return r.getMessage();
                }
              }));
    }
    List<String> results = new ArrayList<>();
    for (Future<String> f : out) {
      results.add(f.get(20, TimeUnit.SECONDS));
    }
    exec.shutdown();
    assertThat(results).filteredOn("admitted"::equals).hasSize(1);
    assertThat(results)
        .filteredOn(r -> !r.equals("admitted"))
        .allSatisfy(r -> assertThat(r).contains("overlap SpiderIPPool p"));
    assertThat(ClaimBook.live(claims.read().data(), Instant.now(), TTL))
        .as("the rejected withdrew their claims")
        .hasSize(1);
  }

  /** A claim no object follows (a failed create, a forged review) delays, never refuses. */
  @Test
  void aClaimWithoutAnObjectDelaysAnOverlappingAdmissionAtMostTheTtl() {
    MemoryClaims claims = new MemoryClaims();
    SteppedClock clock = new SteppedClock(T0.plusSeconds(1));
    forge(claims, "evil", "10.0.0.0-10.0.0.255", T0);
    OverlapGuard guard = new OverlapGuard(new Stored(), claims, TTL, clock, clock::advance);
    assertThat(
            guard.admit(
                VALIDATOR, Operation.CREATE, pool("real", "10.0.0.10-10.0.0.20"), null, false))
        .isNotNull();
    assertThat(clock.instant())
        .as("admitted when the forged claim lapsed")
        .isBetween(T0.plus(TTL), T0.plus(TTL).plusMillis(100));
  }

  @Test
  void aDeletedObjectsClaimIsWithdrawnAndBlocksNothing() {
    MemoryClaims claims = new MemoryClaims();
    SteppedClock clock = new SteppedClock(T0);
    OverlapGuard guard =
        new OverlapGuard(
            new Stored(),
            claims,
            TTL,
            clock,
            millis -> {
              throw new AssertionError("nothing to wait for");
            });
    guard.admit(VALIDATOR, Operation.CREATE, pool("a", "10.0.0.10-10.0.0.20"), null, false);
    assertThat(guard.withdraw(AdmissionKind.IPPOOL, "a", 0)).isTrue(); // its DELETE was admitted
    assertThat(
            guard.admit(VALIDATOR, Operation.CREATE, pool("b", "10.0.0.10-10.0.0.20"), null, false))
        .isNotNull();
  }

  @Test
  void aRejectedAdmissionLeavesNoClaim() {
    MemoryClaims claims = new MemoryClaims();
    Stored stored = new Stored();
    stored.pools.add(pool("a", "10.0.0.10-10.0.0.20"));
    OverlapGuard guard = new OverlapGuard(stored, claims, TTL, Clock.systemUTC());
    assertThatThrownBy(
            () -> guard.admit(VALIDATOR, Operation.CREATE, pool("b", "10.0.0.15"), null, false))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("overlap SpiderIPPool a (10.0.0.0/24)");
    assertThat(claims.read().data()).isEmpty();
  }

  @Test
  void aDryRunRecordsNothingAndALapsedClaimBlocksNothing() {
    MemoryClaims claims = new MemoryClaims();
    new OverlapGuard(new Stored(), claims, TTL, Clock.fixed(T0, ZoneOffset.UTC))
        .admit(VALIDATOR, Operation.CREATE, pool("a", "10.0.0.1-10.0.0.9"), null, true);
    assertThat(claims.read().data()).isEmpty();

    new OverlapGuard(new Stored(), claims, TTL, Clock.fixed(T0, ZoneOffset.UTC))
        .admit(VALIDATOR, Operation.CREATE, pool("a", "10.0.0.1-10.0.0.9"), null, false);
    assertThat(claims.read().data()).containsOnlyKeys("ippool.a");
    assertThatThrownBy(
            () ->
                new OverlapGuard(new Stored(), claims, TTL, Clock.fixed(T0, ZoneOffset.UTC))
                    .admit(VALIDATOR, Operation.CREATE, pool("b", "10.0.0.5"), null, true))
        .as("a dry run cannot wait its turn, so a live claim counts")
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("is storing right now");
    Clock later = Clock.fixed(T0.plus(TTL).plusSeconds(1), ZoneOffset.UTC);
    new OverlapGuard(new Stored(), claims, TTL, later)
        .admit(VALIDATOR, Operation.CREATE, pool("b", "10.0.0.5"), null, false);
    assertThat(claims.read().data()).as("the lapsed claim was pruned").containsOnlyKeys("ippool.b");
  }

  @Test
  void aFloodOfClaimsIsRefusedInsteadOfGrowingTheObject() {
    MemoryClaims claims = new MemoryClaims();
    Map<String, String> many = new HashMap<>();
    Cidr c = Cidr.parse("10.9.0.0/16");
    Map<String, String> data = Map.of();
    for (int i = 0; i < OverlapGuard.MAX_LIVE_CLAIMS; i++) {
      data =
          ClaimBook.record(
              data,
              new Claim(
                  AdmissionKind.IPPOOL,
                  "f" + i,
                  c,
                  RangeList.parse("ips", List.of("10.9.0.1"), c),
                  T0,
                  i + 1),
              T0,
              TTL);
    }
    many.putAll(data);
    assertThat(claims.replace(claims.read(), many)).isTrue();
    assertThatThrownBy(
            () ->
                new OverlapGuard(new Stored(), claims, TTL, Clock.fixed(T0, ZoneOffset.UTC))
                    .admit(VALIDATOR, Operation.CREATE, pool("b", "10.0.0.5"), null, false))
        .hasMessageContaining("in flight at once");
  }

  /**
   * The earlier admission's object is stored and its claim removed at the moment this admission
   * looks: whatever the timing, it must see one or the other. Claims are read before objects, so a
   * claim gone from the read stands for an object the list already shows.
   */
  @Test
  void anObjectStoredAndItsClaimRemovedWhileLookingIsStillSeen() {
    Stored stored = new Stored();
    AdmissionObject a = pool("a", "10.0.0.10-10.0.0.20");
    MemoryClaims claims =
        new MemoryClaims() {
          private int reads;

          @Override
          public synchronized Snapshot read() {
            if (++reads
                == 3) { // the first read of the waiting loop (1: test's forge, 2: recording)
              stored.pools.add(a);
              Snapshot s = super.read();
              replace(s, ClaimBook.remove(s.data(), AdmissionKind.IPPOOL, "a", 0, T0, TTL));
            }
            return super.read();
          }
        };
    SteppedClock clock = new SteppedClock(T0);
    forge(claims, "a", "10.0.0.10-10.0.0.20", T0);
    OverlapGuard guard = new OverlapGuard(stored, claims, TTL, clock, clock::advance);
    assertThatThrownBy(
            () -> guard.admit(VALIDATOR, Operation.CREATE, pool("b", "10.0.0.15"), null, false))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("overlap SpiderIPPool a (10.0.0.0/24)");
  }
}
