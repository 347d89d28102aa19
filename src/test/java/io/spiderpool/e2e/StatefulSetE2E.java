// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.CniResult;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.KernelView;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.PodSandbox;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.Records;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A StatefulSet Pod keeps its addresses across deletion and re-creation with a new UID, even on
 * another node (docs/spiderpool-compat.md#statefulset-hand-over): the DEL of the old sandbox keeps
 * the records because the Pod is still a valid member, and the ADD of the new Pod re-owns them.
 */
@ExtendWith(ControlPlaneExtension.class)
class StatefulSetE2E {
  private static final String NS = "e2e-sts";
  private static TwoNodes cluster;
  private static ClusterFixtures fx;

  @BeforeAll
  static void cluster(LocalControlPlane cp) {
    cluster = TwoNodes.start(cp);
    fx = new ClusterFixtures(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool("sts-v4", 4, "10.68.0.0/24", List.of("10.68.0.10-10.68.0.50"), "10.68.0.1", s -> {});
    fx.pool("sts-v6", 6, "fd00:68::/64", List.of("fd00:68::10-fd00:68::50"), "fd00:68::1", s -> {});
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

  @Test
  void aRecreatedStatefulSetPodGetsTheSameAddresses() {
    StatefulSet sts = fx.statefulSet(NS, "web", 2);
    Records records = new Records(cluster.client());
    // a neighbour takes the next address, so "same address" cannot be lowest-free luck
    Pod other =
        fx.createRunning(
            ClusterFixtures.pod(NS, "web-1", "node-b").label("app", "web").controlledBy(sts));
    Pod first =
        fx.createRunning(
            ClusterFixtures.pod(NS, "web-0", "node-a").label("app", "web").controlledBy(sts));
    NetConf onA = cluster.bridge("node-a", List.of("sts-v4"), List.of("sts-v6"));
    NetConf onB = cluster.bridge("node-b", List.of("sts-v4"), List.of("sts-v6"));
    CniResult before;
    try (PodSandbox o = PodSandbox.of(other, cluster.runtime());
        PodSandbox sb = PodSandbox.of(first, cluster.runtime())) {
      o.addOk(onB, "eth0");
      before = sb.addOk(onA, "eth0");
      records.assertRecorded(first, "eth0", before, "sts-v4", "sts-v6");
      fx.deleteNow(first);
      Command.Outcome del = sb.del(onA, "eth0");
      assertThat(del.ok()).as(del.describe()).isTrue();
      assertThat(records.of("sts-v4"))
          .as("a valid StatefulSet member keeps its records")
          .containsKey(before.addresses(4).get(0).split("/")[0]);

      // the StatefulSet controller re-creates web-0 with a new UID; the scheduler picks node-b
      Pod second =
          fx.createRunning(
              ClusterFixtures.pod(NS, "web-0", "node-b").label("app", "web").controlledBy(sts));
      assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
      try (PodSandbox sb2 = PodSandbox.of(second, cluster.runtime())) {
        CniResult after = sb2.addOk(onB, "eth0");
        assertThat(after.addresses(4)).isEqualTo(before.addresses(4));
        assertThat(after.addresses(6)).isEqualTo(before.addresses(6));
        KernelView.assertMatches(sb2.netns(), "eth0", after);
        records.assertRecorded(second, "eth0", after, "sts-v4", "sts-v6");
        assertThat(
                new PoolConsistency(cluster.client())
                    .violations(List.of("sts-v4", "sts-v6"), List.of(NS), List.of()))
            .isEmpty();
      }
    }
  }
}
