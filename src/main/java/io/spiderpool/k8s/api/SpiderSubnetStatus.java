// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * Observed state of a {@link SpiderSubnet}, written through the {@code /status} subresource.
 *
 * <p>{@code controlledIPPools} stays the JSON string Spiderpool writes: pool name → {@code
 * {"ips":[ranges],"application":"<group>_<version>_<Kind>_<ns>_<name>"}}. This class does not parse
 * it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"controlledIPPools", "totalIPCount", "allocatedIPCount"})
public class SpiderSubnetStatus extends ModelObject {

  private String controlledIPPools;

  @Min(0)
  private Long totalIPCount;

  @Min(0)
  private Long allocatedIPCount;

  /** Addresses carved out per pool, as a JSON string; {@code null} when none. */
  public String getControlledIPPools() {
    return controlledIPPools;
  }

  public void setControlledIPPools(String controlledIPPools) {
    this.controlledIPPools = controlledIPPools;
  }

  /** Size of {@code ips} minus {@code excludeIPs}. */
  public Long getTotalIPCount() {
    return totalIPCount;
  }

  public void setTotalIPCount(Long totalIPCount) {
    this.totalIPCount = totalIPCount;
  }

  /** Addresses carved out to pools (not addresses used by Pods). */
  public Long getAllocatedIPCount() {
    return allocatedIPCount;
  }

  public void setAllocatedIPCount(Long allocatedIPCount) {
    this.allocatedIPCount = allocatedIPCount;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiderSubnetStatus s
        && Objects.equals(controlledIPPools, s.controlledIPPools)
        && Objects.equals(totalIPCount, s.totalIPCount)
        && Objects.equals(allocatedIPCount, s.allocatedIPCount)
        && sameAdditionalProperties(s);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        controlledIPPools, totalIPCount, allocatedIPCount, getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "SpiderSubnetStatus{controlledIPPools="
        + controlledIPPools
        + ", totalIPCount="
        + totalIPCount
        + ", allocatedIPCount="
        + allocatedIPCount
        + "}";
  }
}
