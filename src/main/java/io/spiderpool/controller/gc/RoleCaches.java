// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.cache.TrimmingItemStore;

/**
 * What the controller role's caches of Pods, SpiderEndpoints, StatefulSets and Nodes keep: the
 * fields {@link ClusterFacts}, {@link PodChange} and the pool index read, and never managedFields
 * (docs/performance.md, "Memory of a node daemon"). The role watches these cluster-wide, so a
 * cached Pod's containers, volumes and conditions would be most of its heap. The update filters
 * compare a new object with the cached (trimmed) one, so every field they compare is kept.
 */
final class RoleCaches {
  private RoleCaches() {}

  /**
   * Metadata; spec.nodeName and terminationGracePeriodSeconds; status.phase, reason, podIP(s) and
   * each container's name and state (when it finished).
   */
  static Pod pod(Pod p) {
    Pod t = new Pod();
    t.setApiVersion(p.getApiVersion());
    t.setKind(p.getKind());
    t.setMetadata(TrimmingItemStore.withoutManagedFields(p.getMetadata()));
    if (p.getSpec() != null) {
      PodSpec spec = new PodSpec();
      spec.setNodeName(p.getSpec().getNodeName());
      spec.setTerminationGracePeriodSeconds(p.getSpec().getTerminationGracePeriodSeconds());
      t.setSpec(spec);
    }
    PodStatus s = p.getStatus();
    if (s != null) {
      PodStatus status = new PodStatus();
      status.setPhase(s.getPhase());
      status.setReason(s.getReason());
      status.setPodIP(s.getPodIP());
      status.setPodIPs(s.getPodIPs());
      if (s.getContainerStatuses() != null) {
        status.setContainerStatuses(
            s.getContainerStatuses().stream()
                .map(
                    c -> {
                      ContainerStatus kept = new ContainerStatus();
                      kept.setName(c.getName());
                      kept.setState(c.getState());
                      return kept;
                    })
                .toList());
      }
      t.setStatus(status);
    }
    return t;
  }

  /** The whole endpoint but its managedFields. */
  static SpiderEndpoint endpoint(SpiderEndpoint e) {
    SpiderEndpoint t = new SpiderEndpoint();
    t.setMetadata(TrimmingItemStore.withoutManagedFields(e.getMetadata()));
    t.setStatus(e.getStatus());
    return t;
  }

  /** Metadata and spec.replicas and ordinals (not the Pod template). */
  static StatefulSet statefulSet(StatefulSet s) {
    StatefulSet t = new StatefulSet();
    t.setApiVersion(s.getApiVersion());
    t.setKind(s.getKind());
    t.setMetadata(TrimmingItemStore.withoutManagedFields(s.getMetadata()));
    if (s.getSpec() != null) {
      StatefulSetSpec spec = new StatefulSetSpec();
      spec.setReplicas(s.getSpec().getReplicas());
      spec.setOrdinals(s.getSpec().getOrdinals());
      t.setSpec(spec);
    }
    return t;
  }

  /** Metadata and status.conditions (not the images, addresses or capacity). */
  static Node node(Node n) {
    Node t = new Node();
    t.setApiVersion(n.getApiVersion());
    t.setKind(n.getKind());
    t.setMetadata(TrimmingItemStore.withoutManagedFields(n.getMetadata()));
    if (n.getStatus() != null) {
      NodeStatus status = new NodeStatus();
      status.setConditions(n.getStatus().getConditions());
      t.setStatus(status);
    }
    return t;
  }
}
