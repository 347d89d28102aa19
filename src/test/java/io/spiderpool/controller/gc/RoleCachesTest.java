// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.spiderpool.k8s.api.PodIPAllocation;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderEndpointStatus;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The role's trimmed caches give the GC the same facts as whole objects, and its update filters the
 * same answers when the object before an update is the cached, trimmed one.
 */
class RoleCachesTest {

  private static Pod pod(String name, String phase, String node, boolean sts) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName(name)
            .withUid("uid-" + name)
            .withResourceVersion("7")
            .withDeletionTimestamp(phase == null ? "2026-12-03T12:00:00Z" : null)
            .withDeletionGracePeriodSeconds(phase == null ? 30L : null)
            .addNewManagedField()
            .withManager("kubelet")
            .endManagedField()
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withRestartPolicy("Never")
            .withTerminationGracePeriodSeconds(45L)
            .addNewContainer()
            .withName("main")
            .withImage("registry.invalid/x:1")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase(phase == null ? "Running" : phase)
            .withPodIP("10.0.0.9")
            .addNewPodIP("10.0.0.9")
            .addNewContainerStatus()
            .withName("main")
            .withImage("registry.invalid/x:1")
            .withNewState()
            .withNewTerminated()
            .withExitCode(0)
            .withFinishedAt("2026-12-03T11:00:00Z")
            .endTerminated()
            .endState()
            .endContainerStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .endCondition()
            .endStatus();
    if (sts) {
      b.editMetadata()
          .addNewOwnerReference()
          .withApiVersion("apps/v1")
          .withKind("StatefulSet")
          .withName("db")
          .withUid("sts-uid")
          .withController(true)
          .endOwnerReference()
          .endMetadata();
    }
    return b.build();
  }

  private static SpiderEndpoint endpoint(String name) {
    SpiderEndpoint e = new SpiderEndpoint();
    e.getMetadata().setNamespace("ns");
    e.getMetadata().setName(name);
    e.getMetadata().setResourceVersion("3");
    SpiderEndpointStatus s = new SpiderEndpointStatus();
    PodIPAllocation current = new PodIPAllocation();
    current.setUid("uid-" + name);
    current.setNode("node-1");
    s.setCurrent(current);
    s.setOwnerControllerType("StatefulSet");
    s.setOwnerControllerName("db");
    e.setStatus(s);
    return e;
  }

  private static final StatefulSet STS =
      new StatefulSetBuilder()
          .withNewMetadata()
          .withNamespace("ns")
          .withName("db")
          .endMetadata()
          .withNewSpec()
          .withReplicas(2)
          .withNewTemplate()
          .withNewSpec()
          .addNewContainer()
          .withName("db")
          .endContainer()
          .endSpec()
          .endTemplate()
          .endSpec()
          .build();

  private static Node node(String name, String ready) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("zone", "a"))
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready)
        .endCondition()
        .addNewImage()
        .withNames("registry.invalid/big:1")
        .withSizeBytes(1L << 30)
        .endImage()
        .endStatus()
        .build();
  }

  private static final Map<String, Pod> PODS =
      Map.of(
          "db-0", pod("db-0", "Running", "node-1", true),
          "db-5", pod("db-5", "Running", "node-2", true),
          "web", pod("web", "Failed", "node-1", false),
          "gone", pod("gone", null, "node-2", false));
  private static final Map<String, Node> NODES =
      Map.of("node-1", node("node-1", "True"), "node-2", node("node-2", "False"));

  private static ClusterFacts facts(
      UnaryOperator<Pod> p,
      UnaryOperator<SpiderEndpoint> e,
      UnaryOperator<StatefulSet> s,
      UnaryOperator<Node> n) {
    return new ClusterFacts(
        new ClusterFacts.Lookup() {
          @Override
          public Pod pod(String namespace, String name) {
            Pod found = PODS.get(name);
            return found == null ? null : p.apply(found);
          }

          @Override
          public SpiderEndpoint endpoint(String namespace, String name) {
            return e.apply(RoleCachesTest.endpoint(name));
          }

          @Override
          public StatefulSet statefulSet(String namespace, String name) {
            return "db".equals(name) ? s.apply(STS) : null;
          }

          @Override
          public Node node(String name) {
            Node found = NODES.get(name);
            return found == null ? null : n.apply(found);
          }
        },
        true);
  }

  @Test
  void trimmedCachesGiveTheSameFacts() {
    ClusterFacts whole = facts(x -> x, x -> x, x -> x, x -> x);
    ClusterFacts trimmed =
        facts(RoleCaches::pod, RoleCaches::endpoint, RoleCaches::statefulSet, RoleCaches::node);
    for (String name : List.of("db-0", "db-5", "web", "gone")) {
      assertThat(trimmed.pod("ns", name)).as(name).isEqualTo(whole.pod("ns", name));
      assertThat(trimmed.endpoint("ns", name)).as(name).isEqualTo(whole.endpoint("ns", name));
    }
    // the cases differ from each other: the comparison above covers each rule
    assertThat(whole.pod("ns", "db-0").staticValid()).isTrue();
    assertThat(whole.pod("ns", "db-5").staticValid()).isFalse();
    assertThat(whole.pod("ns", "web").finishedAt()).isNotNull();
    assertThat(whole.pod("ns", "web").nodeReady()).isTrue();
    assertThat(whole.pod("ns", "gone").nodeReady()).isFalse();
    assertThat(whole.pod("ns", "gone").deletionTimestamp()).isNotNull();
    assertThat(whole.pod("ns", "db-0").terminationGraceSeconds()).isEqualTo(45);
  }

  @Test
  void trimmedObjectsDropWhatNoReaderReads() {
    Pod p = RoleCaches.pod(PODS.get("web"));
    assertThat(p.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(p.getSpec().getContainers()).isNullOrEmpty();
    assertThat(p.getStatus().getConditions()).isNullOrEmpty();
    assertThat(p.getStatus().getContainerStatuses().get(0).getImage()).isNull();
    assertThat(p.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(RoleCaches.statefulSet(STS).getSpec().getTemplate()).isNull();
    assertThat(RoleCaches.node(NODES.get("node-1")).getStatus().getImages()).isNullOrEmpty();
    // the whole objects are left as they were: the informer hands them to the handlers
    assertThat(PODS.get("web").getSpec().getContainers()).hasSize(1);
    assertThat(NODES.get("node-1").getStatus().getImages()).hasSize(1);
  }

  @Test
  void updateFiltersAnswerAlikeAgainstTheTrimmedBefore() {
    Pod before = PODS.get("db-0");
    Pod same = new PodBuilder(before).build();
    Pod failed = new PodBuilder(before).editStatus().withPhase("Failed").endStatus().build();
    Pod noIps =
        new PodBuilder(before)
            .editStatus()
            .withPodIP(null)
            .withPodIPs(List.of())
            .endStatus()
            .build();
    Pod moved = new PodBuilder(before).editSpec().withNodeName("node-9").endSpec().build();
    for (Pod now : List.of(same, failed, noIps, moved)) {
      assertThat(PodChange.matters(now, RoleCaches.pod(before)))
          .isEqualTo(PodChange.matters(now, before));
    }
    assertThat(PodChange.matters(failed, RoleCaches.pod(before))).isTrue();
    assertThat(PodChange.matters(same, RoleCaches.pod(before))).isFalse();

    StatefulSet grown = new StatefulSetBuilder(STS).editSpec().withReplicas(3).endSpec().build();
    assertThat(PodChange.statefulSetMatters(grown, RoleCaches.statefulSet(STS))).isTrue();
    assertThat(PodChange.statefulSetMatters(STS, RoleCaches.statefulSet(STS))).isFalse();

    Node notReady = node("node-1", "False");
    Node before1 = RoleCaches.node(NODES.get("node-1"));
    assertThat(ClusterFacts.isReady(notReady) != ClusterFacts.isReady(before1)).isTrue();
  }
}
