// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.pool.TopController;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pods, StatefulSets, namespaces and nodes in memory, for engine tests without a server. A Pod's
 * top controller is its controlling owner reference as written (tests name the top controller
 * directly instead of a ReplicaSet or Job in between).
 */
final class InMemoryPodDirectory implements PodDirectory {
  private final Map<String, PodInfo> pods = new ConcurrentHashMap<>();
  private final Map<String, Integer> statefulSets = new ConcurrentHashMap<>();
  private final Map<String, Labeled> namespaces = new ConcurrentHashMap<>();
  private final Map<String, Labeled> nodes = new ConcurrentHashMap<>();

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** A running Pod on {@code node}; owners may be empty (a bare Pod). */
  static PodInfo running(
      String namespace,
      String name,
      String uid,
      String node,
      Map<String, String> annotations,
      List<OwnerRef> owners) {
    return new PodInfo(
        namespace,
        name,
        uid,
        node,
        Map.of(),
        annotations,
        "Running",
        "Always",
        null,
        false,
        owners);
  }

  /** The controlling owner reference of a StatefulSet member. */
  static OwnerRef statefulSetOwner(String name) {
    return new OwnerRef("apps/v1", "StatefulSet", name, "sts-uid-" + name, true);
  }

  PodInfo put(PodInfo pod) {
    pods.put(key(pod.namespace(), pod.name()), pod);
    return pod;
  }

  void remove(String namespace, String name) {
    pods.remove(key(namespace, name));
  }

  /** The Pod with a deletion timestamp (not alive any more). */
  void terminate(String namespace, String name) {
    pods.computeIfPresent(
        key(namespace, name),
        (k, p) ->
            new PodInfo(
                p.namespace(),
                p.name(),
                p.uid(),
                p.nodeName(),
                p.labels(),
                p.annotations(),
                p.phase(),
                p.restartPolicy(),
                p.reason(),
                true,
                p.owners()));
  }

  void statefulSet(String namespace, String name, int replicas) {
    statefulSets.put(key(namespace, name), replicas);
  }

  void namespace(String name, Map<String, String> labels, Map<String, String> annotations) {
    namespaces.put(name, new Labeled(labels, annotations));
  }

  @Override
  public PodInfo pod(String namespace, String name) {
    return pods.get(key(namespace, name));
  }

  @Override
  public TopController topController(PodInfo pod) {
    for (OwnerRef o : pod.owners()) {
      if (o.controller()) {
        return new TopController(o.apiVersion(), o.kind(), pod.namespace(), o.name(), o.uid());
      }
    }
    return TopController.orphanPod(pod.namespace(), pod.name(), pod.uid());
  }

  @Override
  public Labeled namespace(String name) {
    return namespaces.getOrDefault(name, new Labeled(Map.of(), Map.of()));
  }

  @Override
  public Labeled node(String name) {
    return nodes.getOrDefault(name == null ? "" : name, new Labeled(Map.of(), Map.of()));
  }

  @Override
  public boolean isStatefulSetMember(String namespace, String podName, String statefulSet) {
    Integer replicas = statefulSets.get(key(namespace, statefulSet));
    if (replicas == null || !podName.startsWith(statefulSet + "-")) {
      return false;
    }
    String ordinal = podName.substring(statefulSet.length() + 1);
    return ordinal.matches("\\d{1,9}") && Integer.parseInt(ordinal) < replicas;
  }
}
