// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.gc;

import java.time.Instant;

/**
 * What the GC needs to know about a live Pod of the name a record names.
 *
 * @param uid the Pod's UID
 * @param phase {@code status.phase} (Pending, Running, Succeeded, Failed, Unknown; null counts as
 *     Unknown)
 * @param deletionTimestamp {@code metadata.deletionTimestamp}, null when not terminating
 * @param deletionGraceSeconds {@code metadata.deletionGracePeriodSeconds} (0 when absent)
 * @param finishedAt the latest {@code terminated.finishedAt} of its containers, null when none
 *     finished
 * @param terminationGraceSeconds {@code spec.terminationGracePeriodSeconds} (Kubernetes' default
 *     30)
 * @param hasPodIps whether {@code status.podIPs} is non-empty
 * @param nodeReady whether its node exists and is Ready (an absent node counts as NotReady)
 * @param isStatic whether its addresses are sticky (StatefulSet member with the feature on)
 * @param staticValid for a static Pod: whether it is still a valid member (ordinal in range)
 */
public record PodFacts(
    String uid,
    String phase,
    Instant deletionTimestamp,
    long deletionGraceSeconds,
    Instant finishedAt,
    long terminationGraceSeconds,
    boolean hasPodIps,
    boolean nodeReady,
    boolean isStatic,
    boolean staticValid) {

  boolean terminating() {
    return deletionTimestamp != null;
  }

  boolean finished() {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
