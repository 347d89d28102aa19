// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.pool.LabelSelector;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two candidates on a real API server's Lease, with short timings (lease 3 s, renew deadline 2 s,
 * retry 0.5 s). The holder is cut off from the API server (its requests hang) or closed; the
 * other takes over, and at no sampled moment are both fences open.
 */
@ExtendWith(ControlPlaneExtension.class)
class LeaderElectionIT {
  private static final String NS = "default";

  /** Lease calls that hang while {@link #cut} is set, as with a partitioned node. */
  static final class Cuttable implements LeaseApi {
    final LeaseApi real;
    final AtomicBoolean cut = new AtomicBoolean();

    Cuttable(LeaseApi real) {
      this.real = real;
    }

    private void gate() {
      while (cut.get()) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while cut off");
        }
      }
    }

    @Override
    public LeaseRecord get() {
      gate();
      return real.get();
    }

    @Override
    public LeaseRecord create(LeaseRecord r) {
      gate();
      return real.create(r);
    }

    @Override
    public LeaseRecord update(LeaseRecord r) {
      gate();
      return real.update(r);
    }
  }

  /** Counts terms and the writes a role would do, each guarded by the fence. */
  static final class RecordingRole implements LeaseElector.Role {
    final List<String> events;
    final String name;
    volatile BooleanSupplier fence = () -> false;

    RecordingRole(String name, List<String> events) {
      this.name = name;
      this.events = events;
    }

    @Override
    public void start() {
      events.add(name + " start");
    }

    @Override
    public void stop() {
      events.add(name + " stop");
    }
  }

  private static ElectionSettings settings(String lease, String id) {
    return new ElectionSettings(true, lease, NS, id, Duration.ofSeconds(3), Duration.ofSeconds(2),
        Duration.ofMillis(500), Duration.ofMillis(200), LabelSelector.EVERYTHING);
  }

  private static long awaitNanos(BooleanSupplier condition, Duration max) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + max);
      }
      Thread.sleep(5);
    }
    return System.nanoTime() - start;
  }

  @Test
  void aCutOffHolderStopsWritingBeforeTheOtherStartsAndTheOtherTakesOverWithinTheLease(KubernetesClient client)
      throws Exception {
    String lease = "election-it-cut";
    List<String> events = new CopyOnWriteArrayList<>();
    Cuttable apiA = new Cuttable(new KubernetesLeaseApi(client, NS, lease));
    LeaseElector a = new LeaseElector(apiA, settings(lease, "daemon-a"), new RecordingRole("a", events),
        LeaseElector.Eligibility.ALWAYS).start();
    awaitNanos(a::fence, Duration.ofSeconds(10));
    LeaseElector b = new LeaseElector(new KubernetesLeaseApi(client, NS, lease), settings(lease, "daemon-b"),
        new RecordingRole("b", events), LeaseElector.Eligibility.ALWAYS).start();

    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        if (a.fence() && b.fence()) {
          overlaps.incrementAndGet();
        }
        samples.incrementAndGet();
        Thread.onSpinWait();
      }
    });
    sampler.start();
    try {
      Thread.sleep(1500); // b campaigns against a live holder and must not win
      assertThat(b.leading()).isFalse();
      assertThat(b.knownLeader()).isEqualTo("daemon-a");

      apiA.cut.set(true);
      long cutAt = System.nanoTime();
      long fenceClosed = awaitNanos(() -> !a.fence(), Duration.ofSeconds(5));
      long takeover = awaitNanos(b::fence, Duration.ofSeconds(10)) + fenceClosed;
      System.out.printf("election: holder cut off; its fence closed after %d ms, the other holds the role after %d ms"
          + " (lease 3000 ms, renew deadline 2000 ms)%n", fenceClosed / 1_000_000, takeover / 1_000_000);
      assertThat(fenceClosed).isLessThanOrEqualTo(Duration.ofMillis(2100).toNanos());
      assertThat(System.nanoTime() - cutAt).as("takeover within lease + two retry periods")
          .isLessThan(Duration.ofMillis(3000 + 2 * 500 + 2000).toNanos());
      awaitNanos(() -> events.contains("a stop"), Duration.ofSeconds(3));

      apiA.cut.set(false); // a comes back, sees b, stays a follower
      Thread.sleep(1500);
      assertThat(a.leading()).isFalse();
      assertThat(a.knownLeader()).isEqualTo("daemon-b");
      assertThat(b.fence()).isTrue();
    } finally {
      sampling.set(false);
      sampler.join();
      a.close();
      b.close();
    }
    assertThat(samples.get()).isGreaterThan(1000);
    assertThat(overlaps.get()).as("moments when both fences were open").isZero();
    assertThat(new ArrayList<>(events)).containsSubsequence("a start", "a stop", "b start");
  }

  @Test
  void closingTheHolderReleasesTheLeaseSoTheOtherTakesOverWithinARetryPeriod(KubernetesClient client)
      throws Exception {
    String lease = "election-it-release";
    List<String> events = new CopyOnWriteArrayList<>();
    LeaseElector a = new LeaseElector(new KubernetesLeaseApi(client, NS, lease), settings(lease, "daemon-a"),
        new RecordingRole("a", events), LeaseElector.Eligibility.ALWAYS).start();
    awaitNanos(a::fence, Duration.ofSeconds(10));
    LeaseElector b = new LeaseElector(new KubernetesLeaseApi(client, NS, lease), settings(lease, "daemon-b"),
        new RecordingRole("b", events), LeaseElector.Eligibility.ALWAYS).start();
    try {
      Thread.sleep(800);
      long closing = System.nanoTime();
      a.close();
      assertThat(events).containsSubsequence("a start", "a stop");
      assertThat(client.leases().inNamespace(NS).withName(lease).get().getSpec().getHolderIdentity())
          .isIn("", "daemon-b");
      awaitNanos(b::fence, Duration.ofSeconds(3));
      System.out.printf("election: holder closed; the other holds the role after %d ms%n",
          (System.nanoTime() - closing) / 1_000_000);
      assertThat(client.leases().inNamespace(NS).withName(lease).get().getSpec().getLeaseTransitions()).isEqualTo(1);
    } finally {
      b.close();
    }
    assertThat(events).containsSubsequence("a start", "a stop", "b start", "b stop");
  }

  @Test
  void anIneligibleDaemonDoesNotTouchALiveLease(KubernetesClient client) throws Exception {
    String lease = "election-it-ineligible";
    LeaseElector a = new LeaseElector(new KubernetesLeaseApi(client, NS, lease), settings(lease, "daemon-a"),
        new RecordingRole("a", new ArrayList<>()), LeaseElector.Eligibility.ALWAYS).start();
    awaitNanos(a::fence, Duration.ofSeconds(10));
    AtomicInteger asked = new AtomicInteger();
    LeaseElector c = new LeaseElector(new KubernetesLeaseApi(client, NS, lease), settings(lease, "daemon-c"),
        new RecordingRole("c", new ArrayList<>()), () -> {
          asked.incrementAndGet();
          return false;
        }).start();
    try {
      Thread.sleep(1500);
      assertThat(asked.get()).isEqualTo(1); // then it sleeps for the recheck period
      assertThat(c.leading()).isFalse();
      assertThat(client.leases().inNamespace(NS).withName(lease).get().getSpec().getHolderIdentity())
          .isEqualTo("daemon-a");
    } finally {
      c.close();
      a.close();
    }
  }
}
