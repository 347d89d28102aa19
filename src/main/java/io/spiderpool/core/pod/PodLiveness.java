// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pod;

/**
 * Whether a Pod may hold or be given addresses, by Spiderpool's rule (docs/spiderpool-compat.md,
 * "Pod liveness"): a Pod is dead once it has a deletion timestamp, has Succeeded and will not be
 * restarted, has Failed and will not be restarted, or was evicted. An ADD for a dead Pod is
 * refused, and a DEL for a live one keeps its addresses (the sandbox is being re-created).
 */
public final class PodLiveness {
  private PodLiveness() {}

  /**
   * @param terminating whether {@code metadata.deletionTimestamp} is set
   * @param phase {@code status.phase}, null when not reported yet
   * @param restartPolicy {@code spec.restartPolicy}, null meaning Kubernetes' default Always
   * @param reason {@code status.reason}, e.g. {@code Evicted}
   */
  public static boolean alive(
      boolean terminating, String phase, String restartPolicy, String reason) {
    if (terminating) {
      return false;
    }
    boolean restarts = restartPolicy == null || "Always".equals(restartPolicy);
    if ("Succeeded".equals(phase) && !restarts) {
      return false;
    }
    return !("Failed".equals(phase) && ("Never".equals(restartPolicy) || "Evicted".equals(reason)));
  }
}
