// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.gc;

import java.time.Instant;

/**
 * The leak decision for one pool record (docs/gc.md, "The decision", with the event tracing folded
 * in as "keep until the grace period ends"). Pure: the caller looks the facts up and persists the
 * outcome; a record is only ever released by its own UID, so a verdict computed from an old view
 * can never free an address that meanwhile belongs to someone else.
 *
 * <p>The order of the checks is the table's: Pod absent; record of an earlier incarnation; Pending;
 * finished static; terminating; finished stateless; Running/Unknown.
 */
public final class RecordGc {
  private final GcSettings settings;

  public RecordGc(GcSettings settings) {
    this.settings = settings;
  }

  /**
   * Decides about the record held by {@code recordUid}.
   *
   * @param pod the live Pod of the record's name, or null when there is none
   * @param endpoint the SpiderEndpoint of the record's name, or null when there is none
   */
  public Verdict decide(String recordUid, PodFacts pod, EndpointFacts endpoint, Instant now) {
    if (pod == null) {
      if (endpoint != null && endpoint.isStatic() && endpoint.staticValid()) {
        return Verdict.keep("Pod gone, its StatefulSet endpoint is still a valid member");
      }
      return Verdict.release(endpoint != null, "Pod gone");
    }
    if (!pod.uid().equals(recordUid)) {
      return earlierIncarnation(pod, endpoint);
    }
    boolean deleteEndpoint = endpoint != null;
    if ("Pending".equals(pod.phase())) {
      return Verdict.keep("Pod Pending");
    }
    if (pod.finished() && pod.isStatic()) {
      return pod.staticValid()
          ? Verdict.keep("finished StatefulSet Pod, still a valid member")
          : Verdict.release(deleteEndpoint, "finished StatefulSet Pod, no longer a member");
    }
    if (pod.terminating()) {
      return terminating(pod, deleteEndpoint, now);
    }
    if (pod.finished()) {
      return finished(pod, deleteEndpoint, now);
    }
    if (pod.hasPodIps()) {
      return Verdict.keep("Pod " + phaseOf(pod) + " with podIPs");
    }
    if (pod.isStatic()) {
      return pod.staticValid()
          ? Verdict.keep("StatefulSet Pod without podIPs, still a valid member")
          : Verdict.release(deleteEndpoint, "StatefulSet Pod without podIPs, no longer a member");
    }
    if ("Running".equals(pod.phase())) {
      return settings.runningPodOnEmptyPodIps()
          ? Verdict.release(deleteEndpoint, "Running Pod without podIPs (switch on)")
          : Verdict.keep("Running Pod without podIPs");
    }
    return Verdict.release(deleteEndpoint, "Pod " + phaseOf(pod) + " without podIPs");
  }

  private static Verdict earlierIncarnation(PodFacts pod, EndpointFacts endpoint) {
    boolean deleteEndpoint = endpoint != null && !endpoint.uid().equals(pod.uid());
    if (pod.isStatic() && !pod.hasPodIps() && pod.staticValid()) {
      return Verdict.keep(
          "record of an earlier incarnation of a valid StatefulSet member not yet re-owned");
    }
    return Verdict.release(deleteEndpoint, "record of an earlier incarnation of the Pod");
  }

  private Verdict terminating(PodFacts pod, boolean deleteEndpoint, Instant now) {
    Instant stop =
        pod.deletionTimestamp()
            .plusSeconds(pod.deletionGraceSeconds())
            .plus(settings.additionalGraceDelay());
    boolean allowed = nodeSwitch(pod);
    if (!now.isBefore(stop)) {
      if (pod.isStatic()) {
        return Verdict.keep(
            "terminating StatefulSet Pod past its grace period (left to DEL or deletion)");
      }
      return allowed
          ? Verdict.release(deleteEndpoint, "terminating past its grace period")
          : Verdict.keep("terminating past its grace period, GC off for its node state");
    }
    if (!pod.hasPodIps()) {
      return Verdict.release(deleteEndpoint, "terminating without podIPs");
    }
    return allowed && !pod.isStatic()
        ? Verdict.keepUntil(stop, "terminating within its grace period")
        : Verdict.keep("terminating within its grace period");
  }

  private Verdict finished(PodFacts pod, boolean deleteEndpoint, Instant now) {
    if (!nodeSwitch(pod)) {
      return Verdict.keep("Pod " + pod.phase() + ", GC off for its node state");
    }
    if (pod.finishedAt() == null) {
      return Verdict.release(deleteEndpoint, "Pod " + pod.phase() + ", no container finish time");
    }
    Instant stop =
        pod.finishedAt()
            .plusSeconds(pod.terminationGraceSeconds())
            .plus(settings.additionalGraceDelay());
    return now.isBefore(stop)
        ? Verdict.keepUntil(stop, "Pod " + pod.phase() + " within its grace period")
        : Verdict.release(deleteEndpoint, "Pod " + pod.phase() + " past its grace period");
  }

  private boolean nodeSwitch(PodFacts pod) {
    return pod.nodeReady()
        ? settings.terminatingOnReadyNode()
        : settings.terminatingOnNotReadyNode();
  }

  private static String phaseOf(PodFacts pod) {
    return pod.phase() == null ? "Unknown" : pod.phase();
  }
}
