// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Objects;

/** The addresses of one Pod incarnation: its UID, its node and one entry per interface. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"uid", "node", "ips"})
public class PodIPAllocation extends ModelObject {

  @Required private String uid;

  @Required private String node;

  @Required private List<IPAllocationDetail> ips;

  /** UID of the Pod that owns the allocation. */
  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  /** Node of that Pod. */
  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  /** One entry per interface, in the order the interfaces were set up. */
  public List<IPAllocationDetail> getIps() {
    return ips;
  }

  public void setIps(List<IPAllocationDetail> ips) {
    this.ips = ips;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodIPAllocation p
        && Objects.equals(uid, p.uid)
        && Objects.equals(node, p.node)
        && Objects.equals(ips, p.ips)
        && sameAdditionalProperties(p);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uid, node, ips, getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "PodIPAllocation{uid=" + uid + ", node=" + node + ", ips=" + ips + "}";
  }
}
