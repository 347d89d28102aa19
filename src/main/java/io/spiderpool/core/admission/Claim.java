// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.range.RangeSet;
import java.time.Instant;

/**
 * The address space a pool or subnet is being admitted with, recorded before the webhook answers,
 * so that a concurrent admission on any daemon knows of it although the object is not stored yet.
 *
 * @param ips the object's {@code ips} minus {@code excludeIPs}
 * @param seq the claim's place in the order claims were recorded: an admission waits only for
 *     claims recorded before its own
 */
public record Claim(
    AdmissionKind kind, String name, Cidr subnet, RangeSet ips, Instant admittedAt, long seq) {}
