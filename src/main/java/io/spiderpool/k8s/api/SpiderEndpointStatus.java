// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * The record of a {@link SpiderEndpoint} (Spiderpool's {@code WorkloadEndpointStatus}): the current
 * owner's allocation and the top-level controller of the Pod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"current", "ownerControllerType", "ownerControllerName"})
public class SpiderEndpointStatus extends ModelObject {

  @Required private PodIPAllocation current;

  @Required private String ownerControllerType;

  @Required private String ownerControllerName;

  /** The allocation of the Pod that currently owns the addresses. */
  public PodIPAllocation getCurrent() {
    return current;
  }

  public void setCurrent(PodIPAllocation current) {
    this.current = current;
  }

  /**
   * Kind of the Pod's top controller: {@code Pod}, {@code Deployment}, {@code ReplicaSet}, {@code
   * StatefulSet}, {@code DaemonSet}, {@code Job}, {@code CronJob}, {@code VirtualMachineInstance}
   * or a third-party kind.
   */
  public String getOwnerControllerType() {
    return ownerControllerType;
  }

  public void setOwnerControllerType(String ownerControllerType) {
    this.ownerControllerType = ownerControllerType;
  }

  /** Name of the Pod's top controller. */
  public String getOwnerControllerName() {
    return ownerControllerName;
  }

  public void setOwnerControllerName(String ownerControllerName) {
    this.ownerControllerName = ownerControllerName;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiderEndpointStatus s
        && Objects.equals(current, s.current)
        && Objects.equals(ownerControllerType, s.ownerControllerType)
        && Objects.equals(ownerControllerName, s.ownerControllerName)
        && sameAdditionalProperties(s);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        current, ownerControllerType, ownerControllerName, getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "SpiderEndpointStatus{current="
        + current
        + ", ownerControllerType="
        + ownerControllerType
        + ", ownerControllerName="
        + ownerControllerName
        + "}";
  }
}
