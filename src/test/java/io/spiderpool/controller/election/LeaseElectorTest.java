// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.pool.LabelSelector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The acquire/renew/expiry rules on a fake clock; the running loop is exercised in
 * LeaderElectionIT.
 */
class LeaseElectorTest {
  private final InMemoryLeaseApi api = new InMemoryLeaseApi();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Clock wall = Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC);

  private LeaseElector elector(String id) {
    ElectionSettings s =
        new ElectionSettings(
            true,
            "spiderpool-controller-leases",
            "kube-system",
            id,
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            LabelSelector.EVERYTHING);
    return new LeaseElector(
        api,
        s,
        new LeaseElector.Role() {
          @Override
          public void start() {}

          @Override
          public void stop() {}
        },
        LeaseElector.Eligibility.ALWAYS,
        wall,
        nanos::get);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void theFirstCandidateCreatesTheLeaseAndRenewsItsOwn() {
    LeaseElector a = elector("daemon-a");
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(api.get().holder()).isEqualTo("daemon-a");
    assertThat(api.get().leaseDurationSeconds()).isEqualTo(15);
    assertThat(api.get().transitions()).isZero();
    String before = api.get().resourceVersion();
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(api.get().resourceVersion()).isNotEqualTo(before);
    assertThat(api.get().transitions()).isZero();
  }

  @Test
  void aHeldLeaseIsTakenOnlyAfterItsHolderWasSilentForTheLeaseDuration() {
    LeaseElector a = elector("daemon-a");
    LeaseElector b = elector("daemon-b");
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(b.tryAcquireOrRenew()).isFalse(); // b sees the record for the first time now
    advance(Duration.ofSeconds(14));
    assertThat(b.tryAcquireOrRenew()).isFalse();
    assertThat(a.tryAcquireOrRenew()).isTrue(); // a renews: the record changes
    advance(Duration.ofSeconds(14));
    assertThat(b.tryAcquireOrRenew()).as("b saw a new record 14 s ago at most").isFalse();
    advance(Duration.ofSeconds(15));
    assertThat(b.tryAcquireOrRenew()).isTrue();
    assertThat(api.get().holder()).isEqualTo("daemon-b");
    assertThat(api.get().transitions()).isEqualTo(1);
    assertThat(b.knownLeader()).isEqualTo("daemon-b");
  }

  @Test
  void aReleasedLeaseIsTakenAtOnce() {
    LeaseElector b = elector("daemon-b");
    api.create(new LeaseRecord("", 1, null, null, 3, null));
    assertThat(b.tryAcquireOrRenew()).isTrue();
    assertThat(api.get().holder()).isEqualTo("daemon-b");
    assertThat(api.get().transitions()).isEqualTo(4);
  }

  @Test
  void twoCandidatesRacingForAnExpiredLeaseCannotBothWin() {
    LeaseElector a = elector("daemon-a");
    LeaseElector b = elector("daemon-b");
    api.create(new LeaseRecord("gone", 15, null, null, 0, null));
    assertThat(a.tryAcquireOrRenew()).isFalse();
    assertThat(b.tryAcquireOrRenew()).isFalse();
    advance(Duration.ofSeconds(16));
    LeaseApi racing =
        new LeaseApi() {
          // b reads the same version a read, then a writes first
          @Override
          public LeaseRecord get() {
            return api.get();
          }

          @Override
          public LeaseRecord create(LeaseRecord r) {
            return api.create(r);
          }

          @Override
          public LeaseRecord update(LeaseRecord r) {
            assertThat(a.tryAcquireOrRenew()).isTrue();
            return api.update(r);
          }
        };
    ElectionSettings s =
        new ElectionSettings(
            true,
            "l",
            "ns",
            "daemon-b",
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            LabelSelector.EVERYTHING);
    LeaseElector bRacing =
        new LeaseElector(racing, s, null, LeaseElector.Eligibility.ALWAYS, wall, nanos::get);
    bRacing.tryAcquireOrRenew(); // observes
    advance(Duration.ofSeconds(16));
    assertThat(bRacing.tryAcquireOrRenew()).isFalse();
    assertThat(api.get().holder()).isEqualTo("daemon-a");
  }
}
