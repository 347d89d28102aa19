// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.admission.AddressSpec;
import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import io.spiderpool.core.admission.Claim;
import io.spiderpool.core.admission.Operation;
import io.spiderpool.core.admission.Validator;
import io.spiderpool.core.config.ClusterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admitting daemon ends its claim once the object is stored, or when it lapses. */
class ClaimFollowerTest {
  private static final Validator VALIDATOR = new Validator(ClusterConfig.DEFAULTS);

  private static AdmissionObject pool(String name) {
    return AdmissionObject.of(AdmissionKind.IPPOOL, name, new AddressSpec(4L, "10.0.0.0/24",
        List.of("10.0.0.10-10.0.0.20"), null, null, null, false));
  }

  private static void await(OverlapGuardTest.MemoryClaims claims, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!claims.read().data().isEmpty()) {
      assertThat(System.nanoTime()).as("claim still there: %s", claims.read().data()).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void theClaimIsRemovedOnceTheObjectIsStored() throws Exception {
    OverlapGuardTest.MemoryClaims claims = new OverlapGuardTest.MemoryClaims();
    OverlapGuardTest.Stored stored = new OverlapGuardTest.Stored();
    OverlapGuard guard = new OverlapGuard(stored, claims, Duration.ofSeconds(30), Clock.systemUTC());
    try (ClaimFollower follower = new ClaimFollower(stored, guard, Executors.newSingleThreadScheduledExecutor(),
        Clock.systemUTC())) {
      Claim claim = guard.admit(VALIDATOR, Operation.CREATE, pool("a"), null, false);
      follower.follow(claim, null);
      Thread.sleep(100);
      assertThat(claims.read().data()).as("not stored yet: the claim stays").containsOnlyKeys("ippool.a");
      stored.pools.add(pool("a"));
      await(claims, 10); // well inside the 30 s TTL: removed because the object appeared
    }
  }

  @Test
  void aClaimWhoseObjectNeverAppearsIsRemovedWhenItLapses() throws Exception {
    OverlapGuardTest.MemoryClaims claims = new OverlapGuardTest.MemoryClaims();
    OverlapGuardTest.Stored stored = new OverlapGuardTest.Stored();
    OverlapGuard guard = new OverlapGuard(stored, claims, Duration.ofMillis(300), Clock.systemUTC());
    try (ClaimFollower follower = new ClaimFollower(stored, guard, Executors.newSingleThreadScheduledExecutor(),
        Clock.systemUTC())) {
      follower.follow(guard.admit(VALIDATOR, Operation.CREATE, pool("ghost"), null, false), null);
      await(claims, 10);
    }
  }
}
