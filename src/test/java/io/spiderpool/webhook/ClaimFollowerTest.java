// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static io.spiderpool.testing.Waits.LOCAL;
import static io.spiderpool.testing.Waits.holdsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.Test;

/** The admitting daemon ends its claim once the object is stored, or when it lapses. */
class ClaimFollowerTest {
  private static final Validator VALIDATOR = new Validator(ClusterConfig.DEFAULTS);

  private static AdmissionObject pool(String name) {
    return AdmissionObject.of(
        AdmissionKind.IPPOOL,
        name,
        new AddressSpec(
            4L, "10.0.0.0/24", List.of("10.0.0.10-10.0.0.20"), null, null, null, false));
  }

  private static void awaitNoClaim(OverlapGuardTest.MemoryClaims claims, String why) {
    await("claim removed: " + why)
        .atMost(LOCAL)
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(() -> assertThat(claims.read().data()).isEmpty());
  }

  @Test
  void theClaimIsRemovedOnceTheObjectIsStored() throws Exception {
    OverlapGuardTest.MemoryClaims claims = new OverlapGuardTest.MemoryClaims();
    OverlapGuardTest.Stored stored = new OverlapGuardTest.Stored();
    OverlapGuard guard =
        new OverlapGuard(stored, claims, Duration.ofSeconds(30), Clock.systemUTC());
    try (ClaimFollower follower =
        new ClaimFollower(
            stored, guard, Executors.newSingleThreadScheduledExecutor(), Clock.systemUTC())) {
      Claim claim = guard.admit(VALIDATOR, Operation.CREATE, pool("a"), null, false);
      follower.follow(claim, null);
      holdsFor(
          "not stored yet: the claim stays",
          Duration.ofMillis(100),
          Duration.ofMillis(10),
          () -> assertThat(claims.read().data()).containsOnlyKeys("ippool.a"));
      stored.pools.add(pool("a"));
      // LOCAL is well inside the 30 s TTL: removed because the object appeared
      awaitNoClaim(claims, "the object was stored");
    }
  }

  @Test
  void aClaimWhoseObjectNeverAppearsIsRemovedWhenItLapses() throws Exception {
    OverlapGuardTest.MemoryClaims claims = new OverlapGuardTest.MemoryClaims();
    OverlapGuardTest.Stored stored = new OverlapGuardTest.Stored();
    OverlapGuard guard =
        new OverlapGuard(stored, claims, Duration.ofMillis(300), Clock.systemUTC());
    try (ClaimFollower follower =
        new ClaimFollower(
            stored, guard, Executors.newSingleThreadScheduledExecutor(), Clock.systemUTC())) {
      follower.follow(guard.admit(VALIDATOR, Operation.CREATE, pool("ghost"), null, false), null);
      awaitNoClaim(claims, "it lapsed");
    }
  }
}
