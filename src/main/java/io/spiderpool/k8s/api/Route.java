// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A static route: destination CIDR {@code dst} via gateway address {@code gw}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"dst", "gw"})
public class Route extends ModelObject {

  @Required private String dst;

  @Required private String gw;

  /** Creates an empty route (for Jackson). */
  public Route() {}

  /** Creates a route to {@code dst} via {@code gw}. */
  public Route(String dst, String gw) {
    this.dst = dst;
    this.gw = gw;
  }

  /** Destination CIDR, e.g. {@code 10.7.0.0/16}. */
  public String getDst() {
    return dst;
  }

  public void setDst(String dst) {
    this.dst = dst;
  }

  /** Next-hop address, inside the pool's subnet. */
  public String getGw() {
    return gw;
  }

  public void setGw(String gw) {
    this.gw = gw;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Route r
        && Objects.equals(dst, r.dst)
        && Objects.equals(gw, r.gw)
        && sameAdditionalProperties(r);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dst, gw, getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "Route{dst=" + dst + ", gw=" + gw + "}";
  }
}
