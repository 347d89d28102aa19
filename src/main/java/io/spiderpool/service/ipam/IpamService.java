// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.Optional;

/**
 * The node daemon's IPAM use cases, behind the agent socket API and the CNI protocol handler.
 *
 * <p>Failures are typed by what the caller should do: {@code InvalidInputException} (bad
 * annotation, config or request: fix the input), {@code NoPoolAvailableException} and {@code
 * PoolExhaustedException} (fix pools or wait for releases), {@code TransientException} (retry
 * later). Every failure of {@link #allocate} leaves nothing allocated for the request.
 */
public interface IpamService {

  /**
   * Allocates (or returns the already recorded) addresses for the Pod's NIC. Idempotent per Pod UID
   * and NIC; all-or-nothing across families and NICs.
   */
  AddResult allocate(AddRequest request);

  /**
   * Releases what the Pod (by UID) holds on the NIC, or on every NIC in the batch form. A Pod that
   * is still alive keeps its addresses; StatefulSet members keep theirs; releasing what is already
   * gone succeeds.
   */
  void release(ReleaseRequest request);

  /**
   * Releases what the endpoints recorded on {@code node} hold for Pods that no longer exist, are
   * dead, or were replaced by a new incarnation; live Pods and current StatefulSet members keep
   * theirs. Best effort: continues past failures and reports them together at the end. Returns how
   * many endpoints were released. (CNI GC on this node.)
   */
  int releaseOrphans(String node);

  /** The Pod's SpiderEndpoint record, if any. */
  Optional<EndpointView> endpoint(String podNamespace, String podName);
}
