// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import java.util.Set;

/**
 * CNI GC (spec 1.1.0) on this node: release every allocation of the network that is not one of the
 * runtime's still-valid attachments. A port owned by the CNI layer because the allocation engine's
 * {@code IpamService} has no "list attachments" use case; the engine implements it.
 *
 * <p>Contract for implementations (CNI SPEC, GC): best-effort and repeatable; continue past a
 * failed release and report the failures together at the end by throwing (a {@code
 * TransientException} becomes "try again later"); never release an attachment listed in {@code
 * valid}; an allocation made by an ADD that is still in flight is not garbage.
 */
@FunctionalInterface
public interface AttachmentGc {

  /**
   * @param networkName the network configuration's {@code name}
   * @param valid the attachments the runtime still uses on this network (may be empty: then
   *     everything of the network on this node is garbage)
   */
  void collect(String networkName, Set<Attachment> valid);
}
