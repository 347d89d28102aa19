// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import static io.spiderpool.controller.subnet.SubnetFixture.ips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.port.SubnetMetrics;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.ControlledPools;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.subnet.AutoPoolSync;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A resize cut short by losing the role: the holder's fence goes down right after one of its writes
 * (as when it is deposed or dies there), so the next write of the pass never happens; the holder
 * stops, a new one starts, and the pool and the subnet's record must converge with no address lost
 * or given to two pools.
 */
@ExtendWith(ControlPlaneExtension.class)
class AutoPoolFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static KubernetesClient admin;
  private static SubnetFixture fx;

  @BeforeAll
  static void fixture(LocalControlPlane cp) {
    admin = cp.client();
    fx = new SubnetFixture(admin, "subnet-failover-it");
  }

  @AfterAll
  static void cleanup() {
    fx.close();
  }

  /** Drops the fence right after the chosen write of the chosen pool, once armed. */
  static final class CutAfter implements AutoPoolSync.Observer {
    final AtomicBoolean fence;
    final boolean afterCarve;
    volatile String pool;
    final CountDownLatch cut = new CountDownLatch(1);

    CutAfter(AtomicBoolean fence, boolean afterCarve) {
      this.fence = fence;
      this.afterCarve = afterCarve;
    }

    @Override
    public void carved(String subnet, String name) {
      if (afterCarve && name.equals(pool)) {
        fence.set(false);
        cut.countDown();
      }
    }

    @Override
    public void poolWritten(String name) {
      if (!afterCarve && name.equals(pool)) {
        fence.set(false);
        cut.countDown();
      }
    }
  }

  private static ControllerRole role(AtomicBoolean fence, AutoPoolSync.Observer observer) {
    return new ControllerRole(
        admin,
        ClusterConfig.DEFAULTS,
        GcSettings.DEFAULTS,
        fence::get,
        Clock.systemUTC(),
        new SubnetOptions(SubnetMetrics.NOOP, observer));
  }

  private static SpiderIPPool awaitPool(String app, int size) {
    await(app + " pool of " + size)
        .atMost(WAIT)
        .until(
            () ->
                fx.poolOf("Deployment", app, "eth0", IpFamily.V4)
                    .map(p -> ips(p).sizeCapped() == size)
                    .orElse(false));
    return fx.poolOf("Deployment", app, "eth0", IpFamily.V4).orElseThrow();
  }

  @Test
  void aGrowCutBetweenTheSubnetAndThePoolWriteIsFinishedByTheNextHolderWithTheSameAddresses()
      throws Exception {
    fx.subnet("failover-grow", "10.81.1.0/24", List.of("10.81.1.10-10.81.1.60"), null, null);
    AtomicBoolean fenceA = new AtomicBoolean(true);
    CutAfter cut = new CutAfter(fenceA, true);
    ControllerRole a = role(fenceA, cut);
    a.start();
    fx.deployment(
        "grow",
        2,
        Map.of(
            "ipam.spidernet.io/subnet",
            "{\"ipv4\":[\"failover-grow\"]}",
            "ipam.spidernet.io/ippool-ip-number",
            "+0"));
    SpiderIPPool before = awaitPool("grow", 2);
    String pool = before.getMetadata().getName();
    cut.pool = pool;
    fx.scaleDeployment("grow", 7);
    assertThat(cut.cut.await(30, TimeUnit.SECONDS)).as("the carve was written").isTrue();
    a.stop();

    SpiderIPPool halfway = admin.resources(SpiderIPPool.class).withName(pool).get();
    RangeSet carved = fx.controlled("failover-grow").get(pool).orElseThrow().ips(IpFamily.V4);
    assertThat(ips(halfway)).as("the pool write never happened").isEqualTo(ips(before));
    assertThat(carved.sizeCapped()).as("the subnet carved the grow").isEqualTo(7);
    assertThat(carved.containsAll(ips(halfway))).isTrue();

    ControllerRole b = role(new AtomicBoolean(true), AutoPoolSync.Observer.NONE);
    b.start();
    try {
      SpiderIPPool after = awaitPool("grow", 7);
      assertThat(ips(after))
          .as("the next holder uses the carve, nothing lost or carved twice")
          .isEqualTo(carved);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                ControlledPools c = fx.controlled("failover-grow");
                assertThat(c.entries()).containsOnlyKeys(pool);
                assertThat(c.get(pool).orElseThrow().ips(IpFamily.V4)).isEqualTo(carved);
                assertThat(fx.subnetNow("failover-grow").getStatus().getAllocatedIPCount())
                    .isEqualTo(7);
              });
    } finally {
      b.stop();
    }
  }

  @Test
  void aShrinkCutBetweenThePoolWriteAndTheReleaseIsFinishedAndTheAddressesAreFreeAgain()
      throws Exception {
    fx.subnet("failover-shrink", "10.81.2.0/24", List.of("10.81.2.10-10.81.2.60"), null, null);
    AtomicBoolean fenceA = new AtomicBoolean(true);
    CutAfter cut = new CutAfter(fenceA, false);
    ControllerRole a = role(fenceA, cut);
    a.start();
    fx.deployment(
        "shrink",
        7,
        Map.of(
            "ipam.spidernet.io/subnet",
            "{\"ipv4\":[\"failover-shrink\"]}",
            "ipam.spidernet.io/ippool-ip-number",
            "+0"));
    SpiderIPPool before = awaitPool("shrink", 7);
    String pool = before.getMetadata().getName();
    cut.pool = pool;
    fx.scaleDeployment("shrink", 2);
    assertThat(cut.cut.await(30, TimeUnit.SECONDS)).as("the pool write happened").isTrue();
    a.stop();

    ControlledPools.Entry halfway = fx.controlled("failover-shrink").get(pool).orElseThrow();
    SpiderIPPool shrunk = admin.resources(SpiderIPPool.class).withName(pool).get();
    assertThat(ips(shrunk).sizeCapped()).isEqualTo(2);
    assertThat(halfway.ips(IpFamily.V4)).isEqualTo(ips(shrunk));
    RangeSet given = halfway.releasing(IpFamily.V4);
    assertThat(given.sizeCapped()).as("still carved while the release is pending").isEqualTo(5);
    assertThat(given.union(ips(shrunk))).isEqualTo(ips(before));

    ControllerRole b = role(new AtomicBoolean(true), AutoPoolSync.Observer.NONE);
    b.start();
    try {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(fx.controlled("failover-shrink").get(pool).orElseThrow().releasing())
                      .isEmpty());
      assertThat(fx.subnetNow("failover-shrink").getStatus().getAllocatedIPCount()).isEqualTo(2);
      // the five given back are the subnet's lowest free addresses: the next pool takes exactly
      // them
      fx.deployment(
          "next",
          5,
          Map.of(
              "ipam.spidernet.io/subnet",
              "{\"ipv4\":[\"failover-shrink\"]}",
              "ipam.spidernet.io/ippool-ip-number",
              "+0"));
      assertThat(ips(awaitPool("next", 5))).isEqualTo(given);
    } finally {
      b.stop();
    }
  }
}
