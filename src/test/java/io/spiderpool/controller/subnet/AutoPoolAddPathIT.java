// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import static io.spiderpool.controller.subnet.SubnetFixture.controllerRef;
import static io.spiderpool.controller.subnet.SubnetFixture.ips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.subnet.AutoPoolWait;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.store.KubernetesIpam;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.EngineSettings;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ADD path of subnet-annotated Pods through the engine of a node (docs/subnet.md#the-add-path;
 * Spiderpool #4376): it waits on the node's watch cache while the controller makes or grows the
 * pool and goes on as soon as the pool has room, and a wait that runs out says which pool lacks how
 * many addresses and why. The role is started and stopped by each test, as a lagging or absent
 * controller is what is being waited for.
 */
@ExtendWith(ControlPlaneExtension.class)
class AutoPoolAddPathIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static KubernetesClient admin;
  private static SubnetFixture fx;
  private static final AtomicInteger WAITS = new AtomicInteger();
  private static KubernetesIpam patient;
  private static KubernetesIpam impatient;
  private ControllerRole role;

  @BeforeAll
  static void fixture(LocalControlPlane cp) {
    admin = cp.client();
    fx = new SubnetFixture(admin, "subnet-add-it");
    IpamMetrics counting =
        new IpamMetrics() {
          @Override
          public void autoPoolWaited() {
            WAITS.incrementAndGet();
          }
        };
    EngineSettings engine = EngineSettings.defaults(ClusterConfig.DEFAULTS);
    patient =
        new KubernetesIpam(admin, engine, counting, new AutoPoolWait(Duration.ofSeconds(1), 40));
    impatient =
        new KubernetesIpam(
            admin, engine, IpamMetrics.NOOP, new AutoPoolWait(Duration.ofSeconds(1), 2));
  }

  @AfterAll
  static void cleanup() {
    fx.close();
    patient.close();
    impatient.close();
  }

  @AfterEach
  void stopRole() {
    if (role != null) {
      role.stop();
    }
  }

  private void startRole() {
    if (role == null) {
      role = new ControllerRole(admin, ClusterConfig.DEFAULTS, GcSettings.DEFAULTS, () -> true);
    }
    role.start();
  }

  /** A Deployment, its ReplicaSet, and a Pod of it, as kube-controller-manager would make them. */
  private static Pod[] deploymentWithPods(
      String name, String subnet, String number, int replicas, int pods) {
    Map<String, String> a =
        Map.of(
            "ipam.spidernet.io/subnet",
            "{\"ipv4\":[\"" + subnet + "\"]}",
            "ipam.spidernet.io/ippool-ip-number",
            number);
    Deployment d = fx.deployment(name, replicas, a);
    ReplicaSet rs = fx.replicaSet(name + "-7f9c", replicas, a, controllerRef(d));
    Pod[] out = new Pod[pods];
    for (int i = 0; i < pods; i++) {
      out[i] = fx.pod(name + "-7f9c-" + i, controllerRef(rs), a);
    }
    return out;
  }

  private static String v4(AddResult r) {
    return r.ips().get(0).address().split("/")[0];
  }

  @Test
  void anAddWaitsOnTheCacheUntilTheControllerHasMadeThePool() {
    fx.subnet("add-wait", "10.82.1.0/24", List.of("10.82.1.10-10.82.1.50"), null, null);
    Pod pod = deploymentWithPods("waiting", "add-wait", "+1", 1, 1)[0];
    int waitsBefore = WAITS.get();
    CompletableFuture<AddResult> add =
        CompletableFuture.supplyAsync(() -> fx.add(patient.engine(), pod, "eth0"));
    await("no pool: the ADD waits")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> !add.isDone());
    startRole();
    AddResult r = add.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    SpiderIPPool pool = fx.poolOf("Deployment", "waiting", "eth0", IpFamily.V4).orElseThrow();
    assertThat(r.ips().get(0).ipPool()).isEqualTo(pool.getMetadata().getName());
    assertThat(ips(pool).contains(IpAddress.parse(v4(r)))).isTrue();
    assertThat(WAITS.get())
        .as("spiderpool_debug_auto_pool_waited_for_available_counts")
        .isGreaterThan(waitsBefore);
  }

  @Test
  void aScaleUpTheControllerHasNotServedYetWaitsInsteadOfFailing() {
    fx.subnet("add-lag", "10.82.2.0/24", List.of("10.82.2.10-10.82.2.50"), null, null);
    startRole();
    Pod[] pods = deploymentWithPods("lagging", "add-lag", "+0", 1, 2);
    fx.add(patient.engine(), pods[0], "eth0");
    role.stop(); // the controller lags: the pool stays at one address
    fx.scaleDeployment("lagging", 2);
    CompletableFuture<AddResult> second =
        CompletableFuture.supplyAsync(() -> fx.add(patient.engine(), pods[1], "eth0"));
    await("the pool is full: the ADD waits")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> !second.isDone());
    role.start();
    AddResult r = second.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(v4(r)).isEqualTo("10.82.2.11");
  }

  @Test
  void aWaitThatRunsOutNamesThePoolAndHowManyAddressesItLacks() {
    fx.subnet("add-lacks", "10.82.3.0/24", List.of("10.82.3.10-10.82.3.50"), null, null);
    startRole();
    Pod[] pods = deploymentWithPods("lacking", "add-lacks", "+0", 1, 2);
    fx.add(impatient.engine(), pods[0], "eth0");
    String pool =
        fx.poolOf("Deployment", "lacking", "eth0", IpFamily.V4)
            .orElseThrow()
            .getMetadata()
            .getName();
    role.stop();
    fx.scaleDeployment("lacking", 3);
    assertThatThrownBy(() -> fx.add(impatient.engine(), pods[1], "eth0"))
        .isInstanceOf(TransientException.class)
        .hasMessage(
            "IPPool "
                + pool
                + " (auto-created for Deployment subnet-add-it/lacking from SpiderSubnet"
                + " add-lacks) has no free address for this Pod after waiting 2s: it holds 1 addresses, 1 allocated, and"
                + " should hold 3 (replicas 3 + 0), so it lacks 2: the controller role has not grown it yet; check that a"
                + " daemon holds the Lease spiderpool-controller-leases and look at its log");
  }

  @Test
  void anExhaustedSubnetMakesNoPartialPoolAndTheAddSaysWhatIsMissing() {
    fx.subnet("add-short", "10.82.4.0/24", List.of("10.82.4.10-10.82.4.11"), null, null);
    startRole();
    Pod pod = deploymentWithPods("short", "add-short", "+1", 4, 1)[0];
    assertThatThrownBy(() -> fx.add(impatient.engine(), pod, "eth0"))
        .isInstanceOf(TransientException.class)
        .hasMessage(
            "no auto-created IPv4 IPPool for Deployment subnet-add-it/short (interface eth0, SpiderSubnet"
                + " add-short) after waiting 2s: SpiderSubnet add-short has only 2 free addresses and the pool needs 5"
                + " (replicas 4 + 1), so it lacks 3: add addresses to the SpiderSubnet's spec.ips, or lower the replicas"
                + " or ipam.spidernet.io/ippool-ip-number");
    assertThat(fx.poolsOf("Deployment", "short")).as("no pool smaller than its size").isEmpty();
    assertThat(fx.controlled("add-short").entries()).as("nothing carved").isEmpty();

    fx.editSubnet(
        "add-short",
        s -> {
          s.getSpec().setIps(List.of("10.82.4.10-10.82.4.20"));
          return s;
        });
    AddResult r = fx.add(patient.engine(), pod, "eth0");
    assertThat(v4(r)).isEqualTo("10.82.4.10");
    assertThat(
            ips(fx.poolOf("Deployment", "short", "eth0", IpFamily.V4).orElseThrow()).sizeCapped())
        .isEqualTo(5);
  }

  @Test
  void twoApplicationsOnOneSubnetNeverShareAnAddress() {
    fx.subnet("add-shared", "10.82.5.0/24", List.of("10.82.5.10-10.82.5.100"), null, null);
    startRole();
    Pod[] a = deploymentWithPods("left", "add-shared", "+0", 6, 6);
    Pod[] b = deploymentWithPods("right", "add-shared", "+0", 6, 6);
    List<CompletableFuture<AddResult>> adds = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Pod l = a[i];
      Pod r = b[i];
      adds.add(CompletableFuture.supplyAsync(() -> fx.add(patient.engine(), l, "eth0")));
      adds.add(CompletableFuture.supplyAsync(() -> fx.add(patient.engine(), r, "eth0")));
    }
    Set<String> seen = new HashSet<>();
    for (CompletableFuture<AddResult> f : adds) {
      assertThat(seen.add(v4(f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join())))
          .as("a second Pod with one address")
          .isTrue();
    }
    SpiderIPPool left = fx.poolOf("Deployment", "left", "eth0", IpFamily.V4).orElseThrow();
    SpiderIPPool right = fx.poolOf("Deployment", "right", "eth0", IpFamily.V4).orElseThrow();
    assertThat(ips(left).overlaps(ips(right))).isFalse();
    assertThat(ips(left).union(ips(right)).sizeCapped()).isEqualTo(12);
  }

  @Test
  void aShrinkBelowTheAllocatedAddressesKeepsThemAndFinishesAsPodsReleaseThem() {
    fx.subnet("add-shrink", "10.82.6.0/24", List.of("10.82.6.10-10.82.6.50"), null, null);
    startRole();
    Pod[] pods = deploymentWithPods("shrinking", "add-shrink", "+0", 3, 3);
    List<String> held = new ArrayList<>();
    for (Pod p : pods) {
      held.add(v4(fx.add(patient.engine(), p, "eth0")));
    }
    fx.scaleDeployment("shrinking", 1);
    await("no allocated address is taken away")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                ips(fx.poolOf("Deployment", "shrinking", "eth0", IpFamily.V4).orElseThrow())
                        .sizeCapped()
                    == 3);
    fx.deletePodAndRelease(patient.engine(), pods[2]);
    await("shrinks as its Pods release")
        .atMost(WAIT)
        .until(
            () ->
                ips(fx.poolOf("Deployment", "shrinking", "eth0", IpFamily.V4).orElseThrow())
                        .sizeCapped()
                    == 2);
    fx.deletePodAndRelease(patient.engine(), pods[1]);
    await()
        .atMost(WAIT)
        .until(
            () ->
                ips(fx.poolOf("Deployment", "shrinking", "eth0", IpFamily.V4).orElseThrow())
                        .sizeCapped()
                    == 1);
    SpiderIPPool last = fx.poolOf("Deployment", "shrinking", "eth0", IpFamily.V4).orElseThrow();
    assertThat(last.getSpec().getIps())
        .as("the remaining Pod's address stays")
        .containsExactly(held.get(0));
    await()
        .atMost(WAIT)
        .until(
            () ->
                fx.controlled("add-shrink")
                    .get(last.getMetadata().getName())
                    .orElseThrow()
                    .releasing()
                    .isEmpty());
  }
}
