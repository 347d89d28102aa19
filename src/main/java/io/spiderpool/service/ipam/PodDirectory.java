// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.pod.PodLiveness;
import io.spiderpool.core.pool.TopController;
import java.util.List;
import java.util.Map;

/** What the allocator reads about Pods, their controllers, namespaces and nodes. */
public interface PodDirectory {

  /** A Pod as read from the API server (fresh), or null when it does not exist. */
  PodInfo pod(String namespace, String name);

  /**
   * The Pod for an ADD: from the node's watch cache when it holds this UID (an empty {@code
   * expectedUid} accepts any), else fresh from the API server like {@link #pod}.
   */
  default PodInfo podForAdd(String namespace, String name, String expectedUid) {
    return pod(namespace, name);
  }

  /** The Pod's top controller (Deployment via ReplicaSet, CronJob via Job, ...; itself if none). */
  TopController topController(PodInfo pod);

  /** Labels and annotations of a namespace (empty maps when it does not exist). */
  Labeled namespace(String name);

  /** Labels of a node (empty when it does not exist). */
  Labeled node(String name);

  /**
   * True when a Pod of this name is a current member of the StatefulSet: the name is {@code
   * <sts>-<ordinal>}, the StatefulSet exists and the ordinal is within its replicas ({@code
   * spec.ordinals.start} honoured). Works after the Pod object is gone.
   */
  boolean isStatefulSetMember(String namespace, String podName, String statefulSet);

  /** A Pod's facts that allocation decisions depend on. */
  record PodInfo(
      String namespace,
      String name,
      String uid,
      String nodeName,
      Map<String, String> labels,
      Map<String, String> annotations,
      String phase,
      String restartPolicy,
      String reason,
      boolean terminating,
      List<OwnerRef> owners) {

    /** Whether the Pod may hold addresses ({@link PodLiveness}). */
    public boolean alive() {
      return PodLiveness.alive(terminating, phase, restartPolicy, reason);
    }
  }

  /** An owner reference. */
  record OwnerRef(String apiVersion, String kind, String name, String uid, boolean controller) {}

  /** Labels and annotations of something. */
  record Labeled(Map<String, String> labels, Map<String, String> annotations) {}
}
