// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * Observed state of a {@link SpiderIPPool}, written through the {@code /status} subresource.
 *
 * <p>{@code allocatedIPs} stays the JSON string Spiderpool writes: an object keyed by address (no
 * prefix) whose values are {@code {"pod":"<namespace>/<name>","podUid":"<uid>"}}; absent when
 * nothing is allocated. This class does not parse it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"allocatedIPs", "allocatedIPCount", "totalIPCount"})
public class SpiderIPPoolStatus extends ModelObject {

  private String allocatedIPs;

  @Min(0)
  private Long allocatedIPCount;

  @Min(0)
  private Long totalIPCount;

  /** The allocation records as a JSON string, or {@code null} when there are none. */
  public String getAllocatedIPs() {
    return allocatedIPs;
  }

  public void setAllocatedIPs(String allocatedIPs) {
    this.allocatedIPs = allocatedIPs;
  }

  /** Number of addresses currently allocated. */
  public Long getAllocatedIPCount() {
    return allocatedIPCount;
  }

  public void setAllocatedIPCount(Long allocatedIPCount) {
    this.allocatedIPCount = allocatedIPCount;
  }

  /** Size of {@code ips} minus {@code excludeIPs}, capped at 2^63-1. */
  public Long getTotalIPCount() {
    return totalIPCount;
  }

  public void setTotalIPCount(Long totalIPCount) {
    this.totalIPCount = totalIPCount;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiderIPPoolStatus s
        && Objects.equals(allocatedIPs, s.allocatedIPs)
        && Objects.equals(allocatedIPCount, s.allocatedIPCount)
        && Objects.equals(totalIPCount, s.totalIPCount)
        && sameAdditionalProperties(s);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allocatedIPs, allocatedIPCount, totalIPCount, getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "SpiderIPPoolStatus{allocatedIPs="
        + allocatedIPs
        + ", allocatedIPCount="
        + allocatedIPCount
        + ", totalIPCount="
        + totalIPCount
        + "}";
  }
}
