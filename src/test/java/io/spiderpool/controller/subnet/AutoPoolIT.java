// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import static io.spiderpool.controller.subnet.SubnetFixture.controllerRef;
import static io.spiderpool.controller.subnet.SubnetFixture.ips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.port.SubnetMetrics;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AutoPoolName;
import io.spiderpool.core.subnet.ControlledPools;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderpoolApi;
import io.spiderpool.k8s.subnet.AutoPoolSync;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SpiderSubnet auto-pools against the real API server
 * (docs/subnet.md#spidersubnet-auto-created-pools-per-application): every workload kind, flexible
 * and fixed sizes, a pool that follows the replicas exactly in both families, two applications on
 * one subnet, an exhausted subnet, reclaim and inheritance, the role holder stopped between the
 * subnet write and the pool write of a resize, a pool made by Spiderpool adopted unchanged, and the
 * ADD path that waits on the watch cache. No kube-controller-manager runs: the tests set replicas
 * and owner chains as its controllers would.
 */
@ExtendWith(ControlPlaneExtension.class)
class AutoPoolIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static KubernetesClient admin;
  private static SubnetFixture fx;
  private final AtomicBoolean leader = new AtomicBoolean(true);
  private ControllerRole role;

  @BeforeAll
  static void fixture(LocalControlPlane cp) {
    admin = cp.client();
    fx = new SubnetFixture(admin, "subnet-it");
  }

  @AfterAll
  static void cleanup() {
    fx.close();
  }

  @BeforeEach
  void startRole() {
    role = role(leader, AutoPoolSync.Observer.NONE);
    role.start();
  }

  @AfterEach
  void stopRole() {
    role.stop();
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

  /**
   * A subnet of its own per test: 10.80.N.0/24 with .10-.209, and fd00:80:N::/64 with ::10-::d1.
   */
  private static String[] subnets(String prefix) {
    int n = SEQ.incrementAndGet();
    String v4 = prefix + "-v4-" + n;
    String v6 = prefix + "-v6-" + n;
    fx.subnet(
        v4,
        "10.80." + n + ".0/24",
        List.of("10.80." + n + ".10-10.80." + n + ".209"),
        null,
        "10.80." + n + ".1");
    fx.subnet(
        v6,
        "fd00:80:" + n + "::/64",
        List.of("fd00:80:" + n + "::10-fd00:80:" + n + "::d1"),
        null,
        null);
    return new String[] {v4, v6};
  }

  private static Map<String, String> subnetAnnotation(String v4, String v6, String number) {
    StringBuilder json = new StringBuilder("{");
    if (v4 != null) {
      json.append("\"ipv4\":[\"").append(v4).append("\"]");
    }
    if (v6 != null) {
      json.append(v4 != null ? "," : "").append("\"ipv6\":[\"").append(v6).append("\"]");
    }
    Map<String, String> a =
        new HashMap<>(Map.of("ipam.spidernet.io/subnet", json.append("}").toString()));
    if (number != null) {
      a.put("ipam.spidernet.io/ippool-ip-number", number);
    }
    return a;
  }

  private static SpiderIPPool awaitPool(String kind, String app, IpFamily f, int size) {
    AtomicReference<SpiderIPPool> found = new AtomicReference<>();
    await(kind + " " + app + " " + f + " pool of " + size)
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SpiderIPPool p =
                  fx.poolOf(kind, app, "eth0", f)
                      .orElseThrow(() -> new AssertionError("no pool yet"));
              assertThat(ips(p).sizeCapped()).isEqualTo(size);
              found.set(p);
            });
    return found.get();
  }

  /** The subnet records exactly the pools' addresses, nothing is being released, counters agree. */
  private static void assertBooksBalance(String subnet, List<SpiderIPPool> pools) {
    await("SpiderSubnet " + subnet + " records its pools")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SpiderSubnet s = fx.subnetNow(subnet);
              ControlledPools c = fx.controlled(subnet);
              long sum = 0;
              for (SpiderIPPool p : pools) {
                SpiderIPPool now =
                    admin.resources(SpiderIPPool.class).withName(p.getMetadata().getName()).get();
                ControlledPools.Entry e = c.get(p.getMetadata().getName()).orElseThrow();
                assertThat(e.ips(ips(now).family()))
                    .as("carve of " + p.getMetadata().getName())
                    .isEqualTo(ips(now));
                assertThat(e.releasing()).isEmpty();
                sum += ips(now).sizeCapped();
              }
              assertThat(s.getStatus().getAllocatedIPCount()).isEqualTo(sum);
            });
  }

  @Test
  void everyKindGetsAPoolOfItsSizeWithSpiderpoolsMetadata() {
    String s = subnets("kinds")[0];
    Deployment deploy = fx.deployment("web", 2, subnetAnnotation(s, null, null));
    ReplicaSet child =
        fx.replicaSet("web-abc", 2, subnetAnnotation(s, null, null), controllerRef(deploy));
    ReplicaSet rs = fx.replicaSet("bare-rs", 3, subnetAnnotation(s, null, "2"), null);
    StatefulSet sts = fx.statefulSet("db", 1, subnetAnnotation(s, null, "+0"));
    DaemonSet ds = fx.daemonSet("agent", 4, subnetAnnotation(s, null, "+1"));
    Job job = fx.job("batch", 2, 5, subnetAnnotation(s, null, "+0"), null);
    CronJob cron = fx.cronJob("nightly", 3, subnetAnnotation(s, null, null));

    record Want(String kind, String gv, String name, String uid, int size, String number) {}
    List<Want> wants =
        List.of(
            new Want("Deployment", "apps_v1", "web", deploy.getMetadata().getUid(), 3, "+1"),
            new Want("ReplicaSet", "apps_v1", "bare-rs", rs.getMetadata().getUid(), 2, "2"),
            new Want("StatefulSet", "apps_v1", "db", sts.getMetadata().getUid(), 1, "+0"),
            new Want("DaemonSet", "apps_v1", "agent", ds.getMetadata().getUid(), 5, "+1"),
            new Want("Job", "batch_v1", "batch", job.getMetadata().getUid(), 5, "+0"),
            new Want("CronJob", "batch_v1", "nightly", cron.getMetadata().getUid(), 4, "+1"));
    List<SpiderIPPool> pools = new ArrayList<>();
    SpiderSubnet subnet = fx.subnetNow(s);
    String cidrLabel = subnet.getSpec().getSubnet().replace('.', '-').replace('/', '-');
    for (Want w : wants) {
      SpiderIPPool p = awaitPool(w.kind(), w.name(), IpFamily.V4, w.size());
      pools.add(p);
      assertThat(p.getMetadata().getName())
          .isEqualTo(AutoPoolName.of(w.name(), IpFamily.V4, "eth0", w.uid()));
      assertThat(p.getMetadata().getLabels())
          .isEqualTo(
              SubnetFixture.spiderpoolLabels(
                  cidrLabel,
                  s,
                  w.gv(),
                  w.kind(),
                  fx.ns,
                  w.name(),
                  w.uid(),
                  "eth0",
                  IpFamily.V4,
                  true));
      assertThat(p.getMetadata().getAnnotations())
          .containsEntry("ipam.spidernet.io/ippool-ip-number", w.number());
      assertThat(p.getSpec().getPodAffinity().getMatchLabels())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "ipam.spidernet.io/app-api-group",
                  w.gv().startsWith("batch") ? "batch" : "apps",
                  "ipam.spidernet.io/app-api-version",
                  "v1",
                  "ipam.spidernet.io/app-kind",
                  w.kind(),
                  "ipam.spidernet.io/app-namespace",
                  fx.ns,
                  "ipam.spidernet.io/app-name",
                  w.name()));
      assertThat(p.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getKind()).isEqualTo("SpiderSubnet");
                assertThat(o.getUid()).isEqualTo(subnet.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
                assertThat(o.getBlockOwnerDeletion()).isTrue();
              });
      assertThat(p.getMetadata().getFinalizers()).contains(SpiderpoolApi.FINALIZER);
      assertThat(p.getSpec().getGateway())
          .as("inherited from the subnet")
          .isEqualTo(subnet.getSpec().getGateway());
      assertThat(fx.controlled(s).get(p.getMetadata().getName()).orElseThrow().application())
          .isEqualTo(w.gv() + "_" + w.kind() + "_" + fx.ns + "_" + w.name());
    }
    RangeSet all = RangeSet.empty(IpFamily.V4);
    for (SpiderIPPool p : pools) {
      assertThat(all.overlaps(ips(p))).as("pools never share an address").isFalse();
      all = all.union(ips(p));
    }
    assertThat(all.sizeCapped()).isEqualTo(20);
    assertThat(all.first().orElseThrow().toString()).as("carved lowest first").endsWith(".10");
    assertThat(fx.poolsOf("ReplicaSet", child.getMetadata().getName()))
        .as("a Deployment's ReplicaSet has none")
        .isEmpty();
    assertBooksBalance(s, pools);
  }

  @Test
  void thePoolFollowsTheReplicasExactlyInBothFamilies() {
    String[] s = subnets("scale");
    fx.deployment("follow", 2, subnetAnnotation(s[0], s[1], "+0"));
    for (int replicas : new int[] {2, 10, 3, 0}) {
      fx.scaleDeployment("follow", replicas);
      SpiderIPPool v4 = awaitPool("Deployment", "follow", IpFamily.V4, replicas);
      SpiderIPPool v6 = awaitPool("Deployment", "follow", IpFamily.V6, replicas);
      if (replicas > 0) {
        assertThat(ips(v4).first().orElseThrow().toString()).endsWith(".10");
        assertThat(ips(v6).first().orElseThrow().toString()).endsWith("::10");
      }
      assertBooksBalance(s[0], List.of(v4));
      assertBooksBalance(s[1], List.of(v6));
    }
  }

  private static String resource(String name, Map<String, String> values) throws IOException {
    try (InputStream in = AutoPoolIT.class.getResourceAsStream("/subnet/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> e : values.entrySet()) {
        text = text.replace("${" + e.getKey() + "}", e.getValue());
      }
      return text;
    }
  }

  /**
   * What adoption must leave as it is: everything but the resourceVersion and what the API server
   * adds.
   */
  private static List<Object> essence(SpiderIPPool p) {
    return List.of(
        p.getMetadata().getLabels(),
        p.getMetadata().getAnnotations(),
        p.getMetadata().getFinalizers(),
        p.getMetadata().getOwnerReferences(),
        p.getSpec());
  }

  @Test
  void anAutoPoolMadeBySpiderpoolIsAdoptedUnchangedAndThenResizedAsOurs() throws IOException {
    role.stop(); // Spiderpool's objects exist before this controller first looks
    Map<String, String> a = subnetAnnotation("legacy-v4", null, "+1");
    Deployment d = fx.deployment("legacy", 2, a);
    ReplicaSet rs = fx.replicaSet("legacy-6b7c", 2, a, controllerRef(d));
    Pod pod = fx.pod("legacy-6b7c-0", controllerRef(rs), a);
    String pool = AutoPoolName.of("legacy", IpFamily.V4, "eth0", d.getMetadata().getUid());
    SpiderSubnet subnet =
        admin
            .getKubernetesSerialization()
            .unmarshal(
                resource("spiderpool-made-subnet.yaml", Map.of("POOL", pool)), SpiderSubnet.class);
    var subnetStatus = subnet.getStatus();
    subnet.setStatus(null);
    fx.track(subnet.getMetadata().getName());
    SpiderSubnet storedSubnet = admin.resource(subnet).create();
    storedSubnet.setStatus(subnetStatus);
    storedSubnet = admin.resource(storedSubnet).updateStatus();
    SpiderIPPool made =
        admin
            .getKubernetesSerialization()
            .unmarshal(
                resource(
                    "spiderpool-made-pool.yaml",
                    Map.of(
                        "POOL",
                        pool,
                        "APP_UID",
                        d.getMetadata().getUid(),
                        "SUBNET_UID",
                        storedSubnet.getMetadata().getUid(),
                        "POD_UID",
                        pod.getMetadata().getUid())),
                SpiderIPPool.class);
    var poolStatus = made.getStatus();
    made.setStatus(null);
    SpiderIPPool stored = admin.resource(made).create();
    stored.setStatus(poolStatus);
    stored = admin.resource(stored).updateStatus();
    List<Object> poolBefore = essence(stored);
    String controlledBefore = storedSubnet.getStatus().getControlledIPPools();

    role.start();
    await("left as Spiderpool made it")
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(8))
        .until(
            () ->
                essence(admin.resources(SpiderIPPool.class).withName(pool).get()).equals(poolBefore)
                    && controlledBefore.equals(
                        fx.subnetNow("legacy-v4").getStatus().getControlledIPPools()));
    assertThat(fx.poolsOf("Deployment", "legacy")).as("no second pool").hasSize(1);
    assertThat(allocatedOf(pool)).as("its allocation kept").containsExactly("10.84.0.10");

    fx.scaleDeployment("legacy", 3);
    SpiderIPPool grown = awaitPool("Deployment", "legacy", IpFamily.V4, 4);
    assertThat(grown.getSpec().getIps()).containsExactly("10.84.0.10-10.84.0.13");
    assertBooksBalance("legacy-v4", List.of(grown));
  }

  private static List<String> allocatedOf(String pool) {
    return SubnetFixture.allocated(admin.resources(SpiderIPPool.class).withName(pool).get())
        .toStrings();
  }
}
