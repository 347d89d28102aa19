// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import static io.spiderpool.service.ipam.EngineHarness.NS;
import static io.spiderpool.service.ipam.EngineHarness.add;
import static io.spiderpool.service.ipam.EngineHarness.del;
import static io.spiderpool.service.ipam.EngineHarness.ippool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.OutcomeUnknownException;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.range.PoolSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The allocation engine's paths on in-memory stores, IPv4 and IPv6 side by side: standard
 * allocation, the idempotent repeat, refusals, all-or-nothing rollback, release, the StatefulSet
 * hand-over and the first ADD that finds an endpoint after all (a restarted daemon). The same paths
 * run against the real API server in {@code IpamEngineIT}.
 */
class IpamEngineTest {
  private EngineHarness h;
  private IpamEngine n1;

  @BeforeEach
  void pools() {
    h = new EngineHarness();
    h.pool("v4", "10.7.0.0/24", "10.7.0.10-10.7.0.12", "10.7.0.1");
    h.pool("v6", "fd00:7::/64", "fd00:7::10-fd00:7::12", "fd00:7::1");
    n1 = h.engine("n1");
  }

  private static List<String> addresses(AddResult r) {
    return r.ips().stream().map(AddResult.IpConfig::address).toList();
  }

  static Stream<Arguments> families() {
    return Stream.of(
        Arguments.of("v4", null, List.of("10.7.0.10/24"), List.of("0.0.0.0/0 via 10.7.0.1")),
        Arguments.of(null, "v6", List.of("fd00:7::10/64"), List.of("::/0 via fd00:7::1")),
        Arguments.of(
            "v4",
            "v6",
            List.of("10.7.0.10/24", "fd00:7::10/64"),
            List.of("0.0.0.0/0 via 10.7.0.1", "::/0 via fd00:7::1")));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("families")
  void theFirstAddTakesTheLowestFreeAddressRecordsItAndARepeatWritesNothing(
      String v4, String v6, List<String> expected, List<String> defaultRoutes) {
    h.runningPod("a", "uid-a", "n1", ippool(v4, v6), List.of());
    AddResult r = n1.allocate(add("c1", "a", "uid-a"));
    assertThat(addresses(r)).containsExactlyElementsOf(expected);
    assertThat(r.routes())
        .extracting(x -> x.dst() + " via " + x.gw())
        .containsExactlyElementsOf(defaultRoutes);
    for (String pool : Stream.of(v4, v6).filter(p -> p != null).toList()) {
      assertThat(h.records(pool).asMap().values())
          .extracting(rec -> rec.pod() + " " + rec.podUid())
          .containsExactly(NS + "/a uid-a");
    }
    EndpointRecord ep = h.endpoints.peek(NS, "a");
    assertThat(ep.uid()).isEqualTo("uid-a");
    assertThat(ep.node()).isEqualTo("n1");
    assertThat(ep.nics()).singleElement().satisfies(n -> assertThat(n.nic()).isEqualTo("eth0"));

    int poolWrites = h.pools.writes.get();
    int endpointWrites = h.endpoints.writes.get();
    assertThat(n1.allocate(add("c1", "a", "uid-a"))).as("repeated ADD").isEqualTo(r);
    assertThat(h.pools.writes.get()).isEqualTo(poolWrites);
    assertThat(h.endpoints.writes.get()).isEqualTo(endpointWrites);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("no such Pod", null, "uid-x", TransientException.class, "pod ns/x not found"),
        Arguments.of(
            "Pod re-created under another UID",
            "uid-new",
            "uid-old",
            TransientException.class,
            "has UID uid-new, not uid-old as the runtime says"),
        Arguments.of(
            "terminating Pod",
            "dead",
            "dead",
            InvalidInputException.class,
            "dead Pod ns/x, we cannot allocate IP addresses to it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void anAddIsRefusedWithoutTakingAnything(
      String what,
      String podUid,
      String requestUid,
      Class<? extends Throwable> type,
      String message) {
    if (podUid != null) {
      h.runningPod("x", podUid, "n1", ippool("v4", null), List.of());
      if (podUid.equals("dead")) {
        h.pods.terminate(NS, "x");
      }
    }
    assertThatThrownBy(() -> n1.allocate(add("c", "x", requestUid)))
        .isInstanceOf(type)
        .hasMessageContaining(message);
    assertThat(h.records("v4").size()).isZero();
    assertThat(h.endpoints.size()).isZero();
  }

  @Test
  void missingFieldsAreNamedTogether() {
    assertThatThrownBy(
            () -> n1.allocate(new AddRequest("", "", "", "", "", "", null, null, false, false)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("containerID, ifName, podNamespace, podName must be specified");
  }

  @Test
  void aDualStackAddIsAllOrNothing() {
    h.runningPod("a", "uid-a", "n1", ippool(null, "v6"), List.of());
    h.runningPod("b", "uid-b", "n1", ippool(null, "v6"), List.of());
    h.runningPod("c", "uid-c", "n1", ippool(null, "v6"), List.of());
    n1.allocate(add("a", "a", "uid-a"));
    n1.allocate(add("b", "b", "uid-b"));
    n1.allocate(add("c", "c", "uid-c"));
    h.runningPod("d", "uid-d", "n1", ippool("v4", "v6"), List.of());
    assertThatThrownBy(() -> n1.allocate(add("d", "d", "uid-d")))
        .isInstanceOf(PoolExhaustedException.class)
        .hasMessageContaining("failed to allocate any IPv6 IP address")
        .hasMessageContaining("v6");
    assertThat(h.records("v4").size()).as("the IPv4 address taken for d was given back").isZero();
    assertThat(h.endpoints.peek(NS, "d")).isNull();
  }

  @Test
  void anEndpointThatCannotBeWrittenGivesTheAddressesBack() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", "v6"), List.of());
    h.endpoints.beforeWrite =
        what -> {
          throw new IllegalStateException("API server unreachable");
        };
    assertThatThrownBy(() -> n1.allocate(add("c", "a", "uid-a")))
        .hasMessageContaining("unreachable");
    h.endpoints.beforeWrite = null;
    assertThat(h.records("v4").size()).isZero();
    assertThat(h.records("v6").size()).isZero();
  }

  @Test
  void anEndpointCreateWhoseAnswerIsLostKeepsTheAddressSoNoOtherPodGetsIt() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", null), List.of());
    h.runningPod("b", "uid-b", "n1", ippool("v4", null), List.of());
    AtomicBoolean lose = new AtomicBoolean(true);
    h.endpoints.afterWrite =
        what -> {
          if (what.equals("create " + NS + "/a") && lose.getAndSet(false)) {
            throw new OutcomeUnknownException("answer lost", null);
          }
        };
    assertThatThrownBy(() -> n1.allocate(add("c1", "a", "uid-a")))
        .isInstanceOf(OutcomeUnknownException.class);
    h.endpoints.afterWrite = null;
    assertThat(h.records("v4").size()).as("a's record kept: its endpoint landed").isEqualTo(1);

    List<String> b = addresses(n1.allocate(add("c2", "b", "uid-b")));
    List<String> a = addresses(n1.allocate(add("c1", "a", "uid-a")));
    assertThat(a).containsExactly("10.7.0.10/24");
    assertThat(b).containsExactly("10.7.0.11/24");
    assertThat(h.records("v4").size()).isEqualTo(2);
  }

  @Test
  void aRetryWhoseCreateMeetsTheLateEndpointKeepsTheReusedRecord() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", null), List.of());
    h.runningPod("b", "uid-b", "n1", ippool("v4", null), List.of());
    AtomicInteger creates = new AtomicInteger();
    h.endpoints.beforeWrite =
        what -> {
          if (!what.equals("create " + NS + "/a")) {
            return;
          }
          if (creates.incrementAndGet() == 1) {
            throw new OutcomeUnknownException("answer lost, not stored yet", null);
          }
          if (creates.get() == 2) {
            h.endpoints.land(h.endpoints.lastCreateAttempt); // the first POST lands now
          }
        };
    assertThatThrownBy(() -> n1.allocate(add("c1", "a", "uid-a")))
        .isInstanceOf(OutcomeUnknownException.class);
    assertThatThrownBy(() -> n1.allocate(add("c1", "a", "uid-a")))
        .hasMessageContaining("changed concurrently");
    h.endpoints.beforeWrite = null;
    assertThat(h.records("v4").size()).as("a's reused record kept").isEqualTo(1);

    List<String> b = addresses(n1.allocate(add("c2", "b", "uid-b")));
    List<String> a = addresses(n1.allocate(add("c1", "a", "uid-a")));
    assertThat(a).containsExactly("10.7.0.10/24");
    assertThat(b).containsExactly("10.7.0.11/24");
  }

  @Test
  void anEndpointUpdateWhoseAnswerIsLostKeepsTheSecondNicsAddress() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", null), List.of());
    h.runningPod("b", "uid-b", "n1", ippool("v4", null), List.of());
    n1.allocate(add("c1", "a", "uid-a"));
    AtomicBoolean lose = new AtomicBoolean(true);
    h.endpoints.afterWrite =
        what -> {
          if (what.equals("update " + NS + "/a") && lose.getAndSet(false)) {
            throw new OutcomeUnknownException("answer lost", null);
          }
        };
    assertThatThrownBy(() -> n1.allocate(add("c1", "a", "uid-a", "net1")))
        .isInstanceOf(OutcomeUnknownException.class);
    h.endpoints.afterWrite = null;
    List<String> b = addresses(n1.allocate(add("c2", "b", "uid-b")));
    List<String> net1 = addresses(n1.allocate(add("c1", "a", "uid-a", "net1")));
    assertThat(net1).doesNotContainAnyElementsOf(b);
    assertThat(h.records("v4").size()).isEqualTo(3);
  }

  @Test
  void conflictsWithOtherNodesAreReplayedOnAFreshRead() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", null), List.of());
    h.pools.conflictsToInject.set(3);
    h.pools.cacheLags = true;
    assertThat(addresses(n1.allocate(add("c", "a", "uid-a")))).containsExactly("10.7.0.10/24");
    assertThat(h.records("v4").size()).isEqualTo(1);
  }

  @Test
  void aDelOfALivePodKeepsItsAddressesAndOnceThePodIsGoneFreesThem() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", "v6"), List.of());
    n1.allocate(add("c", "a", "uid-a"));
    n1.release(del("c", "a", "uid-a"));
    assertThat(h.records("v4").size()).as("sandbox re-creation keeps the addresses").isEqualTo(1);
    h.pods.remove(NS, "a");
    n1.release(del("c", "a", "uid-a"));
    assertThat(h.records("v4").size()).isZero();
    assertThat(h.records("v6").size()).isZero();
    assertThat(h.endpoints.peek(NS, "a")).isNull();
    n1.release(del("c", "a", "uid-a")); // a second DEL succeeds
  }

  @Test
  void aStatefulSetMemberKeepsItsAddressesAcrossRecreationOnAnotherNode() {
    h.pods.statefulSet(NS, "db", 2);
    List<PodDirectory.OwnerRef> owner = List.of(InMemoryPodDirectory.statefulSetOwner("db"));
    h.runningPod("db-1", "uid-1", "n1", ippool("v4", "v6"), owner);
    AddResult first = n1.allocate(add("c1", "db-1", "uid-1"));
    h.pods.remove(NS, "db-1");
    n1.release(del("c1", "db-1", "uid-1"));
    assertThat(h.records("v4").size()).as("a member keeps its address while gone").isEqualTo(1);

    h.runningPod("db-1", "uid-2", "n2", ippool("v4", "v6"), owner);
    AddResult second = h.engine("n2").allocate(add("c2", "db-1", "uid-2"));
    assertThat(addresses(second)).isEqualTo(addresses(first));
    assertThat(h.records("v4").asMap().values())
        .extracting(r -> r.podUid())
        .containsExactly("uid-2");
    assertThat(h.records("v6").asMap().values())
        .extracting(r -> r.podUid())
        .containsExactly("uid-2");
    assertThat(h.endpoints.peek(NS, "db-1").node()).isEqualTo("n2");
  }

  @Test
  void aHandOverRecreatesARecordTheGcFreedMeanwhile() {
    h.pods.statefulSet(NS, "db", 1);
    List<PodDirectory.OwnerRef> owner = List.of(InMemoryPodDirectory.statefulSetOwner("db"));
    h.runningPod("db-0", "uid-1", "n1", ippool("v4", null), owner);
    String ip = addresses(n1.allocate(add("c1", "db-0", "uid-1"))).get(0);
    h.pods.remove(NS, "db-0");
    // the record vanished (freed by hand, by an old GC): re-owning re-creates it instead of
    // skipping it, which would leave the address free for someone else (Spiderpool skips it)
    h.pools.add(
        "v4",
        PoolSpace.of(
            "10.7.0.0/24", List.of("10.7.0.10-10.7.0.12"), List.of(), List.of(), "10.7.0.1"));
    h.runningPod("db-0", "uid-2", "n1", ippool("v4", null), owner);
    assertThat(addresses(n1.allocate(add("c2", "db-0", "uid-2")))).containsExactly(ip);
    assertThat(h.records("v4").asMap()).containsOnlyKeys(ip.substring(0, ip.indexOf('/')));
    h.runningPod("other", "uid-o", "n1", ippool("v4", null), List.of());
    assertThat(addresses(n1.allocate(add("co", "other", "uid-o")))).doesNotContain(ip);
  }

  @Test
  void aStatefulSetMemberWhosePoolChangedGetsAnAddressFromTheNewPool() {
    h.pool("v4b", "10.8.0.0/24", "10.8.0.10-10.8.0.12", null);
    h.pods.statefulSet(NS, "web", 1);
    List<PodDirectory.OwnerRef> owner = List.of(InMemoryPodDirectory.statefulSetOwner("web"));
    h.runningPod("web-0", "uid-1", "n1", ippool("v4", null), owner);
    n1.allocate(add("c1", "web-0", "uid-1"));
    h.pods.remove(NS, "web-0");
    h.runningPod("web-0", "uid-2", "n1", ippool("v4b", null), owner);
    assertThat(addresses(n1.allocate(add("c2", "web-0", "uid-2")))).containsExactly("10.8.0.10/24");
    assertThat(h.records("v4").size()).as("the old pool's address was released").isZero();
  }

  @Test
  void aRecreatedBarePodDropsTheStaleEndpointAndAllocatesAfresh() {
    h.runningPod("job", "uid-1", "n1", ippool("v4", null), List.of());
    n1.allocate(add("c1", "job", "uid-1"));
    h.pods.remove(NS, "job");
    h.runningPod("job", "uid-2", "n1", ippool("v4", null), List.of());
    assertThat(addresses(n1.allocate(add("c2", "job", "uid-2")))).containsExactly("10.7.0.10/24");
    assertThat(h.records("v4").asMap().values())
        .extracting(r -> r.podUid())
        .containsExactly("uid-2");
    assertThat(h.endpoints.peek(NS, "job").uid()).isEqualTo("uid-2");
  }

  /**
   * A restarted daemon does not remember the endpoints it wrote, so a repeat ADD takes the
   * first-ADD path, finds the endpoint (create answers "already exists"), gives back only what it
   * newly took and answers the recorded address — the record the endpoint names stays.
   */
  @Test
  void aRepeatAddOnARestartedDaemonAnswersTheRecordedAddressAndKeepsItsRecord() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", null), List.of());
    AddResult r = n1.allocate(add("c", "a", "uid-a"));
    IpamEngine restarted = h.engine("n1");
    assertThat(restarted.allocate(add("c", "a", "uid-a"))).isEqualTo(r);
    assertThat(h.records("v4").asMap()).containsOnlyKeys("10.7.0.10");
  }

  @Test
  void aSecondNicOnARestartedDaemonKeepsTheFirstNicsAddress() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", null), List.of());
    String eth0 = addresses(n1.allocate(add("c", "a", "uid-a", "eth0"))).get(0);
    IpamEngine restarted = h.engine("n1");
    AddResult both = restarted.allocate(add("c", "a", "uid-a", "net1"));
    String net1 =
        both.ips().stream()
            .filter(ip -> ip.nic().equals("net1"))
            .findFirst()
            .orElseThrow()
            .address();
    assertThat(net1).isNotEqualTo(eth0);
    assertThat(h.endpoints.peek(NS, "a").nics())
        .extracting(n -> n.nic() + "=" + n.ipv4())
        .containsExactly("eth0=" + eth0, "net1=" + net1);
    assertThat(h.records("v4").size()).isEqualTo(2);
  }

  @Test
  void concurrentPodsFromTwoNodesGetDistinctAddressesWithFarFewerWritesThanAllocations()
      throws Exception {
    h.pool("burst", "10.9.0.0/24", "10.9.0.1-10.9.0.200", null);
    h.pools.writeMillis = 5; // with instant writes nothing would ever queue behind one
    IpamEngine n2 = h.engine("n2");
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<Future<AddResult>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String name = "p" + i;
        h.runningPod(name, "uid-" + i, i % 2 == 0 ? "n1" : "n2", ippool("burst", null), List.of());
        IpamEngine engine = i % 2 == 0 ? n1 : n2;
        results.add(
            threads.submit(
                () -> engine.allocate(add("c-" + name, name, "uid-" + name.substring(1)))));
      }
      Set<String> got = new HashSet<>();
      for (Future<AddResult> f : results) {
        got.add(addresses(f.get()).get(0));
      }
      assertThat(got).hasSize(100);
      assertThat(h.records("burst").size()).isEqualTo(100);
      assertThat(h.pools.writes.get()).as("group commit").isLessThan(100);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void theEndpointViewShowsWhatThePodHolds() {
    h.runningPod("a", "uid-a", "n1", ippool("v4", "v6"), List.of());
    n1.allocate(add("c", "a", "uid-a"));
    EndpointView v = n1.endpoint(NS, "a").orElseThrow();
    assertThat(v.podUid()).isEqualTo("uid-a");
    assertThat(v.interfaces())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.ipv4()).isEqualTo("10.7.0.10/24");
              assertThat(n.ipv6()).isEqualTo("fd00:7::10/64");
            });
    assertThat(n1.endpoint(NS, "nobody")).isEmpty();
  }
}
