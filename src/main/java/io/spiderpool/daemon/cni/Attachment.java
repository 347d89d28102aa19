// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

/** One entry of GC's {@code cni.dev/valid-attachments}: a container's interface on the network. */
public record Attachment(String containerId, String ifName) {}
