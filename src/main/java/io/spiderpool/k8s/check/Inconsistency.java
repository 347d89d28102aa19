// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.check;

/**
 * One disagreement between pool records, SpiderEndpoints, Pods and SpiderReservedIPs
 * (docs/cli.md#spiderpool-check). Fields that do not apply to a kind are empty strings, never null,
 * so the JSON form is stable for scripts.
 *
 * @param kind what is wrong
 * @param pool the pool concerned (for {@link Kind#ADDRESS_IN_TWO_POOLS} every pool,
 *     comma-separated)
 * @param ip the address concerned, without prefix
 * @param pod {@code namespace/name} of the Pod the record or endpoint names
 * @param podUid the Pod UID the record or endpoint names
 * @param detail a sentence for the operator
 */
public record Inconsistency(
    Kind kind, String pool, String ip, String pod, String podUid, String detail) {

  public Inconsistency {
    pool = pool == null ? "" : pool;
    ip = ip == null ? "" : ip;
    pod = pod == null ? "" : pod;
    podUid = podUid == null ? "" : podUid;
    detail = detail == null ? "" : detail;
  }

  /** The kinds of inconsistency, each with whether {@code check --fix} repairs it. */
  public enum Kind {
    /** A pool record no SpiderEndpoint of that Pod UID lists (from that pool). */
    RECORD_WITHOUT_ENDPOINT(false),
    /** A SpiderEndpoint address whose pool has no record of it for the endpoint's Pod UID. */
    ENDPOINT_WITHOUT_RECORD(false),
    /** A pool record whose Pod is gone or is another incarnation (other UID). */
    RECORD_OF_DEAD_POD(true),
    /** A SpiderEndpoint whose Pod is gone or is another incarnation, not kept for a StatefulSet. */
    ENDPOINT_OF_DEAD_POD(true),
    /** One address recorded in two or more pools. */
    ADDRESS_IN_TWO_POOLS(false),
    /** A record outside the pool's {@code spec.ips}, or inside its {@code spec.excludeIPs}. */
    RECORD_OUTSIDE_RANGES(false),
    /** A record of an address a SpiderReservedIP reserves. */
    RESERVED_IP_ALLOCATED(false),
    /** {@code allocatedIPCount} or {@code totalIPCount} disagrees with the records or the spec. */
    POOL_COUNTERS_WRONG(true),
    /** A pool whose spec or {@code status.allocatedIPs} cannot be read at all. */
    POOL_UNREADABLE(false);

    private final boolean safeFix;

    Kind(boolean safeFix) {
      this.safeFix = safeFix;
    }

    /** Whether {@code --fix} repairs this kind (docs/cli.md#safe-fixes). */
    public boolean safeFix() {
      return safeFix;
    }
  }
}
