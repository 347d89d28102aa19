// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import java.util.Set;

/**
 * What the daemon reads from a network configuration. {@code prevResult} is not read: ADD does not
 * use it, and CHECK asks the engine's records instead of trusting the cached result.
 *
 * @param validAttachments GC's {@code cni.dev/valid-attachments}, null when absent
 */
public record NetConf(
    String cniVersion, String name, IpamConf ipam, Set<Attachment> validAttachments) {}
