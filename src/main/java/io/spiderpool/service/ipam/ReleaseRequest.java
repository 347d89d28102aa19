// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

/**
 * A release request, Spiderpool's {@code IpamDelArgs} ({@code DELETE /v1/ipam/ip}), or its batch
 * form {@code IpamBatchDelArgs} ({@code DELETE /v1/ipam/ips}) when {@code ifName} is null.
 */
public record ReleaseRequest(
    String containerId,
    String ifName,
    String netNamespace,
    String podNamespace,
    String podName,
    String podUid,
    boolean releaseConflictIps) {

  /** True for the batch form: every address recorded for the Pod. */
  public boolean allInterfaces() {
    return ifName == null;
  }
}
