// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.ops;

/**
 * What {@code ip allocate} recorded: the address (with prefix) held by the Pod UID in the pool, and
 * the SpiderEndpoint entry the Pod's CNI ADD will return.
 *
 * @param existing true when the Pod already held this interface's address (nothing written)
 */
public record AllocateOutcome(
    String pod,
    String podUid,
    String interfaceName,
    String pool,
    String address,
    String gateway,
    boolean existing) {}
