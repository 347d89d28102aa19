// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.spiderpool.k8s.api.schema.JsonMergePatchCustomizer;
import java.util.List;
import java.util.Objects;

/** Desired state of a {@link SpiderSubnet}; the same address fields as a pool, no affinities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"ipVersion", "subnet", "ips", "excludeIPs", "gateway", "routes"})
@SchemaCustomizer(value = JsonMergePatchCustomizer.class, input = SchemaPatches.IP_VERSION_ENUM)
public class SpiderSubnetSpec extends ModelObject {

  private Long ipVersion;

  @Required private String subnet;

  private List<String> ips;

  private List<String> excludeIPs;

  private String gateway;

  private List<Route> routes;

  /** 4 or 6; derived from {@code subnet} when absent; immutable. */
  public Long getIpVersion() {
    return ipVersion;
  }

  public void setIpVersion(Long ipVersion) {
    this.ipVersion = ipVersion;
  }

  /** Canonical CIDR; immutable. */
  public String getSubnet() {
    return subnet;
  }

  public void setSubnet(String subnet) {
    this.subnet = subnet;
  }

  /** Addresses and ranges ({@code a} or {@code a-b}) that may be carved out to pools. */
  public List<String> getIps() {
    return ips;
  }

  public void setIps(List<String> ips) {
    this.ips = ips;
  }

  /** Addresses and ranges never carved out. */
  public List<String> getExcludeIPs() {
    return excludeIPs;
  }

  public void setExcludeIPs(List<String> excludeIPs) {
    this.excludeIPs = excludeIPs;
  }

  /** Gateway inherited by pools of this subnet that set none. */
  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }

  /** Routes inherited by pools whose {@code routes} is absent. */
  public List<Route> getRoutes() {
    return routes;
  }

  public void setRoutes(List<Route> routes) {
    this.routes = routes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiderSubnetSpec s
        && Objects.equals(ipVersion, s.ipVersion)
        && Objects.equals(subnet, s.subnet)
        && Objects.equals(ips, s.ips)
        && Objects.equals(excludeIPs, s.excludeIPs)
        && Objects.equals(gateway, s.gateway)
        && Objects.equals(routes, s.routes)
        && sameAdditionalProperties(s);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        ipVersion, subnet, ips, excludeIPs, gateway, routes, getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "SpiderSubnetSpec{ipVersion="
        + ipVersion
        + ", subnet="
        + subnet
        + ", ips="
        + ips
        + ", excludeIPs="
        + excludeIPs
        + ", gateway="
        + gateway
        + ", routes="
        + routes
        + "}";
  }
}
