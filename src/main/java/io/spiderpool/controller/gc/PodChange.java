// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.spiderpool.k8s.api.SpiderEndpoint;
import java.util.Objects;

/** Update filters: only changes that can flip a GC decision wake the pools up. */
final class PodChange {
  private PodChange() {}

  static boolean matters(Pod now, Pod before) {
    return !Objects.equals(now.getMetadata().getUid(), before.getMetadata().getUid())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
        || !Objects.equals(
            now.getMetadata().getDeletionGracePeriodSeconds(),
            before.getMetadata().getDeletionGracePeriodSeconds())
        || !Objects.equals(phase(now), phase(before))
        || ClusterFacts.hasPodIps(now) != ClusterFacts.hasPodIps(before)
        || !Objects.equals(now.getSpec().getNodeName(), before.getSpec().getNodeName());
  }

  /** An endpoint that changed owner (a new Pod UID) or began terminating. */
  static boolean endpointMatters(SpiderEndpoint now, SpiderEndpoint before) {
    return !Objects.equals(uid(now), uid(before))
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  private static String uid(SpiderEndpoint e) {
    return e.getStatus() == null || e.getStatus().getCurrent() == null
        ? null
        : e.getStatus().getCurrent().getUid();
  }

  static boolean statefulSetMatters(StatefulSet now, StatefulSet before) {
    return !Objects.equals(now.getSpec().getReplicas(), before.getSpec().getReplicas())
        || !Objects.equals(now.getSpec().getOrdinals(), before.getSpec().getOrdinals())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  private static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }
}
