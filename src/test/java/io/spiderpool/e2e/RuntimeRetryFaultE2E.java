// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.spiderpool.k8s.check.ConsistencyChecker;
import io.spiderpool.k8s.check.Inconsistency;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.CniResult;
import io.spiderpool.testing.e2e.CniRuntime;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.KernelView;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.NetNs;
import io.spiderpool.testing.e2e.PodSandbox;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.Records;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 5 of docs/reliability.md, the runtime's retries, as one sequence a kubelet can produce for
 * one Pod name through the macvlan plugin and ours: ADD repeated for the same container; ADD of a
 * new sandbox (new container ID) for the same Pod; DEL of the old sandbox while the Pod lives; GC
 * naming only the current sandbox; the Pod force-deleted and re-created under its name, then the
 * late DELs of both old sandboxes; DEL for a Pod no daemon ever saw; CHECK between the steps. The
 * oracle after each phase: {@link PoolConsistency} against what the ADDs answered and {@code
 * spiderpool check}'s checker narrowed to this class's pool and namespace, both empty; distinct
 * addresses.
 */
@ExtendWith(ControlPlaneExtension.class)
class RuntimeRetryFaultE2E {
  private static final String NS = "e2e-retry";
  private static final String POOL = "retry-v4";
  private static final String NODE = TwoNodes.NODES.get(0);

  private static TwoNodes cluster;
  private static ClusterFixtures fx;
  private static Records records;

  @BeforeAll
  static void cluster(LocalControlPlane cp) {
    cluster = TwoNodes.start(cp);
    fx = new ClusterFixtures(cp.client());
    records = new Records(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(POOL, 4, "10.73.0.0/24", List.of("10.73.0.10-10.73.0.99"), "10.73.0.1", s -> {});
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
   * macvlan: the bridge plugin's CHECK compares the bridge's MAC with the one its ADD answered,
   * which changes as other Pods' veths join the bridge.
   */
  private static NetConf conf() {
    return cluster.macvlan(NODE, List.of(POOL), List.of());
  }

  @Test
  void retriesNeitherLeakNorFreeAnotherIncarnationsAddress() {
    NetConf conf = conf();
    Pod first = fx.createRunning(ClusterFixtures.pod(NS, "retried", NODE));
    Pod neighbour = fx.createRunning(ClusterFixtures.pod(NS, "neighbour", NODE));
    try (PodSandbox s1 = PodSandbox.of(first, cluster.runtime());
        PodSandbox s2 = PodSandbox.of(first, cluster.runtime());
        PodSandbox n = PodSandbox.of(neighbour, cluster.runtime())) {
      CniResult r1 = s1.addOk(conf, "eth0");
      String a1 = ip(r1);
      CniResult rn = n.addOk(conf, "eth0");

      // 1. the same container again (the IPAM plugin asked directly, as the macvlan plugin asks
      // it):
      // the same address, nothing written
      Map<String, PoolConsistency.PoolRecord> before = records.of(POOL);
      Command.Outcome again =
          cluster.runtime().invoke("spiderpool", "ADD", s1.attachment("eth0"), conf.json());
      assertThat(again.ok()).as(again.describe()).isTrue();
      assertThat(ip(CniResult.parse(again.stdout()))).isEqualTo(a1);
      assertThat(records.of(POOL)).isEqualTo(before);
      assertCheck(s1, conf);

      // 2. a new sandbox for the same Pod (new container ID, same UID): the Pod's address back,
      // one record for the Pod, nothing held for the old sandbox
      CniResult r2 = s2.addOk(conf, "eth0");
      assertThat(ip(r2)).as("a new sandbox of the same Pod UID").isEqualTo(a1);
      KernelView.assertMatches(s2.netns(), "eth0", r2);
      assertThat(records.of(POOL)).isEqualTo(before);
      assertConsistent(List.of(observed(first, a1), observed(neighbour, ip(rn))));

      // 3. the runtime tears the old sandbox down while the Pod lives: the Pod keeps its address
      Command.Outcome delOld = s1.del(conf, "eth0");
      assertThat(delOld.ok()).as(delOld.describe()).isTrue();
      records.assertRecorded(first, "eth0", r2, POOL, null);
      assertCheck(s2, conf);

      // 4. GC naming only the current sandboxes keeps both live Pods' addresses
      Command.Outcome gc =
          cluster
              .runtime()
              .invoke(
                  "spiderpool",
                  "GC",
                  null,
                  conf.withCniVersion("1.1.0")
                      .withValidAttachments(List.of(s2.attachment("eth0"), n.attachment("eth0")))
                      .json());
      assertThat(gc.ok()).as(gc.describe()).isTrue();
      records.assertRecorded(first, "eth0", r2, POOL, null);
      records.assertRecorded(neighbour, "eth0", rn, POOL, null);
      assertCheck(s2, conf);

      // 5. the Pod is force-deleted and re-created under its name; the late DELs of both old
      // sandboxes (old container IDs, old UID) arrive after the new one got its address
      fx.deleteNow(first);
      Pod second = fx.createRunning(ClusterFixtures.pod(NS, "retried", NODE));
      try (PodSandbox s3 = PodSandbox.of(second, cluster.runtime())) {
        CniResult r3 = s3.addOk(conf, "eth0");
        for (PodSandbox old : List.of(s2, s1)) {
          Command.Outcome late = old.del(conf, "eth0");
          assertThat(late.ok()).as(late.describe()).isTrue();
          records.assertRecorded(second, "eth0", r3, POOL, null);
          KernelView.assertMatches(s3.netns(), "eth0", r3);
          assertCheck(s3, conf);
        }
        assertThat(records.of(POOL).values())
            .as("nothing left for the first incarnation")
            .noneMatch(r -> r.podUid().equals(first.getMetadata().getUid()));

        // 6. DEL for a Pod no daemon ever saw: success, nothing changed
        Map<String, PoolConsistency.PoolRecord> held = records.of(POOL);
        try (NetNs empty = NetNs.create("sp-e2e-retry-" + ProcessHandle.current().pid())) {
          CniRuntime.Attachment never =
              new CniRuntime.Attachment(
                  "cid-never-seen",
                  empty,
                  "eth0",
                  new CniRuntime.PodRef(NS, "never-seen", UUID.randomUUID().toString()));
          Command.Outcome del = cluster.runtime().del(never, conf, null);
          assertThat(del.ok()).as(del.describe()).isTrue();
        }
        assertThat(records.of(POOL)).isEqualTo(held);

        List<PoolConsistency.Observed> live =
            List.of(observed(second, ip(r3)), observed(neighbour, ip(rn)));
        assertConsistent(live);
        Set<String> distinct = new HashSet<>();
        live.forEach(o -> distinct.add(o.ip()));
        assertThat(distinct).as("distinct addresses").hasSize(2);

        // and everything goes
        fx.deleteNow(second);
        fx.deleteNow(neighbour);
        assertThat(s3.del(conf, "eth0").ok()).isTrue();
        assertThat(n.del(conf, "eth0").ok()).isTrue();
        assertThat(records.of(POOL)).as("records left").isEmpty();
        assertConsistent(List.of());
      }
    }
  }

  private static void assertCheck(PodSandbox sb, NetConf conf) {
    Command.Outcome check = sb.check(conf, "eth0");
    assertThat(check.ok()).as("CHECK of %s: %s", sb.ref(), check.describe()).isTrue();
  }

  private static void assertConsistent(List<PoolConsistency.Observed> observed) {
    assertThat(
            new PoolConsistency(cluster.client()).violations(List.of(POOL), List.of(NS), observed))
        .isEmpty();
    List<Inconsistency> ours =
        new ConsistencyChecker(cluster.client())
            .check().found().stream()
                .filter(i -> i.pool().equals(POOL) || i.pod().startsWith(NS + "/"))
                .toList();
    assertThat(ours).as("spiderpool check").isEmpty();
  }

  private static String ip(CniResult r) {
    assertThat(r.addresses(4)).as("IPv4 in %s", r).hasSize(1);
    return r.addresses(4).get(0).split("/")[0];
  }

  private static PoolConsistency.Observed observed(Pod pod, String ip) {
    return new PoolConsistency.Observed(
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        pod.getMetadata().getUid(),
        ip);
  }
}
