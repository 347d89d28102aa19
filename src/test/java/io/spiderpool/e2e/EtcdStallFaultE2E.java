// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.spiderpool.controller.election.ElectionSettings;
import io.spiderpool.testing.Waits;
import io.spiderpool.testing.e2e.AgentSocket;
import io.spiderpool.testing.e2e.BurstRun;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.DaemonProcess;
import io.spiderpool.testing.e2e.FaultBurst;
import io.spiderpool.testing.e2e.FaultBurst.Outcome;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 3 of docs/reliability.md: etcd stopped with SIGSTOP for longer than the clients' request
 * timeout (fabric8's default, 10 s), then continued with SIGCONT — every request the API server
 * sends it waits, nothing is refused. (a) During a burst of ADDs on both nodes: every ADD answers
 * an address or a clear error, the runtime's retries succeed, records = endpoints = answers, no
 * address twice, counters exact, {@code spiderpool check} clean, and a pool change after the stall
 * is obeyed. (b) Right after a renewal of the controller role's Lease, for longer than the lease
 * duration, while the role has Pods to collect: the holder's fence closes during the stall, no two
 * daemons' terms overlap (read from both logs, on the one clock of this machine), one holder after
 * the stall, and the deleted Pods' records are freed exactly once.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdStallFaultE2E {
  private static final String NS = "e2e-etcdstall";
  private static final String POOL = "etcdstall-v4";
  private static final String LEASE_NS = "kube-system";

  /** Longer than fabric8's request timeout (10 s): requests in flight time out in the stall. */
  private static final Duration BURST_STALL = Duration.ofSeconds(15);

  /**
   * Longer than the renew deadline (10 s) and the lease duration (15 s): the holder's fence must
   * close during the stall, and once etcd is back the other daemon may take the Lease at once.
   */
  private static final Duration LEASE_STALL = Duration.ofSeconds(20);

  /** After the stall: lease 15 s + a jittered retry period (2.4 s) + 10 s for a loaded machine. */
  private static final Duration HOLDER_AFTER_STALL = Duration.ofMillis(15_000 + 2_400 + 10_000);

  private static LocalControlPlane cp;
  private static TwoNodes cluster;
  private static ClusterFixtures fx;

  @BeforeAll
  static void cluster(LocalControlPlane controlPlane) {
    cp = controlPlane;
    cluster = TwoNodes.start(cp);
    fx = new ClusterFixtures(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(POOL, 4, "10.74.0.0/24", List.of("10.74.0.2-10.74.0.254"), "10.74.0.1", s -> {});
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * Holds etcd stopped for {@code period}, asserting at every poll that both daemons' agent sockets
   * still answer {@code GET /v1/ipam/healthy} (the liveness probe's question): ADDs hanging on the
   * API server must not take the socket with them.
   */
  private static void stallFor(Duration period) {
    Waits.holdsFor(
        "etcd stopped for " + period + " while both daemons' agent sockets answer",
        period,
        Duration.ofMillis(500),
        () -> {
          for (DaemonProcess d : cluster.daemons()) {
            assertThat(d.alive()).as("daemon %s alive", d.node()).isTrue();
            AgentSocket.Response r = new AgentSocket(d.socket()).get("/v1/ipam/healthy");
            assertThat(r.status()).as("%s healthy during the stall", d.node()).isEqualTo(200);
          }
        });
  }

  @Test
  @Order(1)
  void aStallDuringABurstLeavesEveryAddAnsweredOnce() throws Exception {
    try (BurstRun run = new BurstRun(cluster, fx, NS, POOL, "10.74.0.")) {
      run.createPods(20, 120);
      run.startBurst();
      run.awaitRecords(30);
      long paused;
      long resumed;
      try (LocalControlPlane.PausedEtcd p = cp.pauseEtcd()) {
        paused = System.nanoTime();
        stallFor(BURST_STALL);
      }
      resumed = System.nanoTime();
      List<Outcome> first = run.collect();
      long inFlight = first.stream().filter(o -> o.inFlightAt(paused)).count();
      long throughout = first.stream().filter(o -> o.inFlightAt(resumed)).count();
      List<Outcome> failed = first.stream().filter(o -> !o.ok()).toList();
      long last = first.stream().mapToLong(Outcome::endNanos).max().orElse(resumed);
      System.err.printf(
          "etcd stopped %d ms once 30 records were written: %d ADDs in flight at SIGSTOP, %d still"
              + " waiting at SIGCONT, the last answered %d ms after SIGCONT; %d of %d failed%n",
          Duration.ofNanos(resumed - paused).toMillis(),
          inFlight,
          throughout,
          Duration.ofNanos(last - resumed).toMillis(),
          failed.size(),
          first.size());
      failed.stream().map(Outcome::failure).distinct().limit(8).forEach(System.err::println);
      assertThat(inFlight).as("ADDs in flight when etcd stopped").isPositive();

      BurstRun.Recovery recovery = run.retryOrAbandon(10);
      System.err.printf(
          "%d failed ADDs retried in %d attempts, %d abandoned%n",
          recovery.retried(), recovery.attempts(), recovery.abandoned());
      run.assertConsistent("after the stall");
      run.excludeThenAdd(10, 40, "after-");
      run.assertConsistent("after the ADDs that followed the stall");
      run.deleteAll();
    }
    assertThat(overlappingTerms()).as("terms of the controller role that overlap").isEmpty();
  }

  @Test
  @Order(2)
  void aStallDuringALeaseRenewalLeavesOneHolderWriting() throws Exception {
    List<String> ids = cluster.daemons().stream().map(d -> d.node() + "-" + d.pid()).toList();
    await("one of the two daemons holds the Lease")
        .atMost(HOLDER_AFTER_STALL)
        .pollInterval(POLL)
        .until(EtcdStallFaultE2E::holder, ids::contains);
    // work for the role across the stall: Pods holding addresses, deleted while etcd is stopped
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String node = TwoNodes.NODES.get(i % 2);
      Pod p = fx.createRunning(ClusterFixtures.pod(NS, "gc-" + i, node));
      Outcome o = FaultBurst.socketAdd(cluster, node, p, POOL);
      assertThat(o.failure()).as("ADD of %s", o.name()).isNull();
      pods.add(p);
    }
    PoolConsistency pc = new PoolConsistency(cluster.client());
    assertThat(pc.records(POOL)).hasSize(pods.size());

    // right after a renewal: the holder's next one falls into the stall
    Lease before = lease();
    String holderBefore = before.getSpec().getHolderIdentity();
    await("the holder renews the Lease")
        .atMost(CLUSTER)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                !lease()
                    .getMetadata()
                    .getResourceVersion()
                    .equals(before.getMetadata().getResourceVersion()));
    LocalDateTime pausedAt;
    LocalDateTime resumedAt;
    List<CompletableFuture<Void>> deletes = new ArrayList<>();
    ExecutorService deleters = Executors.newFixedThreadPool(pods.size());
    try (LocalControlPlane.PausedEtcd p = cp.pauseEtcd()) {
      pausedAt = LocalDateTime.now();
      for (Pod pod : pods) {
        // sent during the stall; the API server holds them until etcd is back
        deletes.add(
            CompletableFuture.runAsync(
                () ->
                    cluster
                        .client()
                        .pods()
                        .inNamespace(NS)
                        .withName(pod.getMetadata().getName())
                        .withGracePeriod(0)
                        .delete(),
                deleters));
      }
      stallFor(LEASE_STALL);
    }
    resumedAt = LocalDateTime.now();
    String holderAfter =
        await("one of the two daemons holds the Lease after the stall")
            .atMost(HOLDER_AFTER_STALL)
            .pollInterval(POLL)
            .until(EtcdStallFaultE2E::holder, ids::contains);
    for (CompletableFuture<Void> d : deletes) {
      d.exceptionally(e -> null).join();
    }
    deleters.shutdown();
    for (Pod pod : pods) {
      fx.deleteNow(pod); // whichever deletes timed out on the client are sent again
    }
    // the GC frees a dead Pod's record first and then its SpiderEndpoint: wait for both halves
    await("the controller role frees the deleted Pods' records and endpoints")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              assertThat(pc.records(POOL)).isEmpty();
              assertThat(pc.violations(List.of(POOL), List.of(NS), List.of())).isEmpty();
              assertThat(FaultBurst.inconsistencies(cluster.client(), List.of(POOL), NS))
                  .as("spiderpool check after the stall")
                  .isEmpty();
            });

    List<Term> terms = terms();
    terms.forEach(t -> System.err.println("term " + t));
    System.err.printf(
        "Lease held by %s before the stall (%s to %s), by %s after it; transitions %d -> %d%n",
        holderBefore,
        pausedAt,
        resumedAt,
        holderAfter,
        before.getSpec().getLeaseTransitions(),
        lease().getSpec().getLeaseTransitions());
    // the holder's fence closed during the stall, on its own clock, without the API server
    assertThat(terms)
        .as("%s gave the role up during the stall", holderBefore)
        .anyMatch(
            t ->
                t.id().equals(holderBefore)
                    && t.end() != null
                    && t.end().isAfter(pausedAt)
                    && t.end().isBefore(resumedAt));
    assertThat(terms)
        .as("no term begins during the stall")
        .noneMatch(t -> t.start().isAfter(pausedAt) && t.start().isBefore(resumedAt));
    assertThat(overlappingTerms()).as("terms of the controller role that overlap").isEmpty();
  }

  private static Lease lease() {
    return cluster
        .client()
        .leases()
        .inNamespace(LEASE_NS)
        .withName(ElectionSettings.DEFAULT_LEASE_NAME)
        .get();
  }

  private static String holder() {
    Lease l = lease();
    return l == null || l.getSpec().getHolderIdentity() == null
        ? ""
        : l.getSpec().getHolderIdentity();
  }

  /** One term of the controller role as a daemon's log tells it; {@code end} null while open. */
  record Term(String id, LocalDateTime start, LocalDateTime end) {
    boolean overlaps(Term o) {
      return (end == null || o.start.isBefore(end)) && (o.end == null || start.isBefore(o.end));
    }
  }

  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  /**
   * Both daemons' terms, from their logs: a term opens at "holds the controller role" (logged just
   * after the Lease write that made it) and closes at "gave up the controller role" (logged just
   * after the fence closed, and the fence closes by itself once the renew deadline has passed).
   */
  private static List<Term> terms() throws IOException {
    List<Term> out = new ArrayList<>();
    for (DaemonProcess d : cluster.daemons()) {
      Pattern termLine =
          Pattern.compile(
              "^(\\S+ \\S+) .*\\) ("
                  + Pattern.quote(d.node() + "-" + d.pid())
                  + ") (holds the controller role|gave up the controller role)");
      Term open = null;
      for (String line : Files.readAllLines(d.log())) {
        Matcher m = termLine.matcher(line);
        if (!m.find()) {
          continue;
        }
        LocalDateTime at = LocalDateTime.parse(m.group(1), LOG_TIME);
        if (m.group(3).startsWith("holds")) {
          assertThat(open).as("%s opened a term inside a term: %s", d.node(), line).isNull();
          open = new Term(m.group(2), at, null);
        } else {
          assertThat(open).as("%s ended a term it had not begun: %s", d.node(), line).isNotNull();
          out.add(new Term(open.id(), open.start(), at));
          open = null;
        }
      }
      if (open != null) {
        out.add(open);
      }
    }
    return out;
  }

  private static List<String> overlappingTerms() throws IOException {
    List<Term> terms = terms();
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      for (int j = i + 1; j < terms.size(); j++) {
        Term a = terms.get(i);
        Term b = terms.get(j);
        if (!a.id().equals(b.id()) && a.overlaps(b)) {
          bad.add(a + " and " + b);
        }
      }
    }
    return bad;
  }
}
