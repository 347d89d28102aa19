// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolCommitterTest {

  private static InMemoryPoolStore store(String subnet, String ips) {
    InMemoryPoolStore s = new InMemoryPoolStore();
    s.add("p", PoolSpace.of(subnet, List.of(ips), null, null, null));
    return s;
  }

  private static PoolCommitter committer(InMemoryPoolStore s, Duration budget) {
    return new PoolCommitter(
        s, snap -> RangeSet.empty(snap.space().subnet().family()), 5000, budget, IpamMetrics.NOOP);
  }

  private static PoolCommitter committer(InMemoryPoolStore s) {
    return committer(s, Duration.ofSeconds(60));
  }

  private static PoolCommitter.Change<IpAddress> allocate(String uid) {
    return state -> {
      PoolState.Allocated a = state.allocate("ns/" + uid, uid, Set.of());
      return new PoolCommitter.Applied<>(a.ip(), a.next());
    };
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/16, 10.0.0.1-10.0.3.255", "fd00::/64, fd00::1-fd00::3ff"})
  void concurrentRequestsAreCoalescedIntoFewWrites(String subnet, String ips) throws Exception {
    InMemoryPoolStore s = store(subnet, ips);
    PoolCommitter c = committer(s);
    ExecutorService ex = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<IpAddress>> fs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String uid = "u" + i;
      fs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return c.submit("p", allocate(uid)).join();
              },
              ex));
    }
    go.countDown();
    Set<IpAddress> got = new HashSet<>();
    for (CompletableFuture<IpAddress> f : fs) {
      got.add(f.get());
    }
    ex.shutdown();
    assertThat(got).hasSize(400);
    assertThat(s.records("p").size()).isEqualTo(400);
    assertThat(s.writes.get()).isEqualTo((int) c.writes()).isLessThan(400);
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/24, 10.0.0.1-10.0.0.9", "fd00::/120, fd00::1-fd00::9"})
  void aConflictReplaysTheBatchOnAFreshRead(String subnet, String ips) {
    InMemoryPoolStore s = store(subnet, ips);
    PoolCommitter c = committer(s);
    s.conflictsToInject.set(2);
    IpAddress ip = c.submit("p", allocate("u1")).join();
    assertThat(s.records("p").get(ip).podUid()).isEqualTo("u1");
    assertThat(c.conflicts()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/24, 10.0.0.1-10.0.0.9", "fd00::/120, fd00::1-fd00::9"})
  void endlessConflictsEndWhenTheDeadlinePassesNamingAttemptsAndConflicts(
      String subnet, String ips) {
    InMemoryPoolStore s = store(subnet, ips);
    PoolCommitter c = committer(s, Duration.ofMillis(300));
    s.conflictsToInject.set(Integer.MAX_VALUE);
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.submit("p", allocate("u1")).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(TransientException.class)
        .hasMessageMatching(
            "deadline passed: IPPool p could not be updated before the call's deadline; (\\d+)"
                + " attempts, \\1 lost to concurrent writes by other nodes .*");
    assertThat(System.nanoTime() - start)
        .as("it kept trying for the whole budget")
        .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(c.conflicts()).isGreaterThan(1);
    assertThat(s.records("p").size()).isZero();
  }

  @Test
  void moreConflictsThanTheOldRetryCountStillEndInAnAddress() {
    InMemoryPoolStore s = store("10.0.0.0/24", "10.0.0.1-10.0.0.9");
    PoolCommitter c = committer(s);
    s.conflictsToInject.set(15); // Spiderpool gives up after 5, this project used to after 12
    IpAddress ip = c.submit("p", allocate("u1")).join();
    assertThat(s.records("p").get(ip).podUid()).isEqualTo("u1");
    assertThat(c.conflicts()).isEqualTo(15);
  }

  @Test
  void anUnreachableStoreIsNamedWithTheAttemptCount() {
    InMemoryPoolStore s = store("10.0.0.0/24", "10.0.0.1-10.0.0.9");
    PoolCommitter c = committer(s);
    s.unreachable = new IllegalStateException("API server unreachable: connection refused");
    assertThatThrownBy(() -> c.submit("p", allocate("u1")).join())
        .cause()
        .isInstanceOf(TransientException.class)
        .hasMessage(
            "cannot read IPPool p (attempt 1, 0 lost to concurrent writes): API server"
                + " unreachable: connection refused");
  }

  @Test
  void theNextBatchStartsFromTheLanesOwnWriteNotALaggingCache() {
    InMemoryPoolStore s = store("10.0.0.0/24", "10.0.0.1-10.0.0.9");
    PoolCommitter c = committer(s);
    c.submit("p", allocate("u1")).join();
    s.cacheLags = true; // the watch cache has not seen that write yet
    int reads = s.freshReads.get();
    IpAddress second = c.submit("p", allocate("u2")).join();
    assertThat(c.conflicts()).as("no write computed from the lagging cache").isZero();
    assertThat(s.freshReads.get()).as("no GET after its own write").isEqualTo(reads);
    assertThat(s.records("p").get(second).podUid()).isEqualTo("u2");
    assertThat(s.records("p").size()).isEqualTo(2);
  }

  /**
   * The model of many nodes on one pool: eight committers (eight daemons' lanes) over one store
   * whose writes take a round trip, overfilling the pool. Nobody fails while addresses remain,
   * exactly the pool's size succeeds, no address twice, and the rest are told the pool is full.
   */
  @Test
  void eightNodesOverfillingOnePoolFailOnlyOnceItIsFull() throws Exception {
    InMemoryPoolStore s = store("10.0.0.0/24", "10.0.0.1-10.0.0.100");
    s.writeMillis = 1;
    List<PoolCommitter> nodes = new ArrayList<>();
    for (int n = 0; n < 8; n++) {
      nodes.add(committer(s));
    }
    ExecutorService ex = Executors.newFixedThreadPool(64);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<IpAddress>> fs = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      PoolCommitter node = nodes.get(i % 8);
      String uid = "u" + i;
      fs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return node.submit("p", true, allocate(uid)).join();
              },
              ex));
    }
    go.countDown();
    List<IpAddress> got = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (CompletableFuture<IpAddress> f : fs) {
      try {
        got.add(f.get());
      } catch (ExecutionException e) {
        failures.add(e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause());
      }
    }
    ex.shutdown();
    assertThat(got).hasSize(100).doesNotHaveDuplicates();
    assertThat(failures).hasSize(60).allMatch(PoolExhaustedException.class::isInstance);
    assertThat(s.records("p").size()).isEqualTo(100);
    assertThat(nodes.stream().mapToLong(PoolCommitter::conflicts).sum())
        .as("eight nodes did contend")
        .isPositive();
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/30, 10.0.0.1", "fd00::/126, fd00::1"})
  void oneFailingChangeDoesNotSinkTheOthers(String subnet, String ips) {
    InMemoryPoolStore s = store(subnet, ips);
    PoolCommitter c = committer(s);
    IpAddress first = c.submit("p", allocate("u1")).join();
    assertThatThrownBy(() -> c.submit("p", allocate("u2")).join())
        .cause()
        .isInstanceOf(PoolExhaustedException.class);
    assertThat(s.records("p").get(first).podUid()).isEqualTo("u1");
    assertThatThrownBy(() -> c.submit("missing", allocate("u3")).join())
        .cause()
        .hasMessage("IPPool missing does not exist");
  }

  @Test
  void aReleaseTheLaggingCacheCannotSeeIsDecidedOnAFreshRead() {
    InMemoryPoolStore s = store("10.0.0.0/24", "10.0.0.1-10.0.0.9");
    PoolCommitter c = committer(s);
    IpAddress ip = c.submit("p", allocate("u1")).join();
    s.cacheLags = true; // the watch cache has not seen that write yet
    c.submit("p", state -> new PoolCommitter.Applied<>(null, state.release(ip, "u1"))).join();
    assertThat(s.records("p").size())
        .as("the record is gone, not left behind by a stale no-op")
        .isZero();
  }

  @Test
  void anExhaustedPoolIsConfirmedOnAFreshReadBeforeFailing() {
    InMemoryPoolStore s = store("10.0.0.0/24", "10.0.0.1");
    PoolCommitter c = committer(s);
    IpAddress ip = c.submit("p", allocate("u1")).join();
    c.submit("p", state -> new PoolCommitter.Applied<>(null, state.release(ip, "u1"))).join();
    s.cacheLags = true; // the cache still shows the only address taken
    assertThat(c.submit("p", allocate("u2")).join()).isEqualTo(ip);
  }
}
