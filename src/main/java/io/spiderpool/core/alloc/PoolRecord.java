// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.alloc;

/**
 * One entry of a pool's {@code status.allocatedIPs}: who holds the address, as Spiderpool writes it
 * — {@code pod} is {@code <namespace>/<name>}, {@code podUid} the Pod's UID (the ownership token
 * every release is checked against).
 */
public record PoolRecord(String pod, String podUid) {

  /** {@code namespace/name} of a Pod. */
  public static String podKey(String namespace, String name) {
    return namespace + "/" + name;
  }
}
