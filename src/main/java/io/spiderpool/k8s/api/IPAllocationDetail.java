// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Objects;

/**
 * The addresses of one interface of a Pod. Addresses carry their prefix length, e.g. {@code
 * 172.31.199.193/20}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "interface",
  "ipv4",
  "ipv6",
  "ipv4Pool",
  "ipv6Pool",
  "vlan",
  "ipv4Gateway",
  "ipv6Gateway",
  "cleanGateway",
  "routes",
  "mac"
})
public class IPAllocationDetail extends ModelObject {

  @JsonProperty("interface")
  @Required
  private String nic;

  private String ipv4;

  private String ipv6;

  private String ipv4Pool;

  private String ipv6Pool;

  @Default("0")
  @Min(0)
  @Max(4094)
  private Long vlan;

  private String ipv4Gateway;

  private String ipv6Gateway;

  private Boolean cleanGateway;

  private List<Route> routes;

  @JsonPropertyDescription(
      "MAC is the MAC address of the interface, provided by external systems"
          + " such as cloud providers during IP allocation. Format: \"aa:bb:cc:dd:ee:ff\"")
  private String mac;

  /**
   * Interface name inside the Pod (field {@code interface}; Java reserves the word); may be {@code
   * ""} for a moment for unnamed multi-NIC setups.
   */
  public String getInterface() {
    return nic;
  }

  public void setInterface(String nic) {
    this.nic = nic;
  }

  /** IPv4 address with prefix length, or {@code null}. */
  public String getIpv4() {
    return ipv4;
  }

  public void setIpv4(String ipv4) {
    this.ipv4 = ipv4;
  }

  /** IPv6 address with prefix length, or {@code null}. */
  public String getIpv6() {
    return ipv6;
  }

  public void setIpv6(String ipv6) {
    this.ipv6 = ipv6;
  }

  /** Name of the SpiderIPPool the IPv4 address came from. */
  public String getIpv4Pool() {
    return ipv4Pool;
  }

  public void setIpv4Pool(String ipv4Pool) {
    this.ipv4Pool = ipv4Pool;
  }

  /** Name of the SpiderIPPool the IPv6 address came from. */
  public String getIpv6Pool() {
    return ipv6Pool;
  }

  public void setIpv6Pool(String ipv6Pool) {
    this.ipv6Pool = ipv6Pool;
  }

  /** VLAN id, 0 to 4094 (0 = untagged). */
  public Long getVlan() {
    return vlan;
  }

  public void setVlan(Long vlan) {
    this.vlan = vlan;
  }

  /** IPv4 gateway handed to the Pod. */
  public String getIpv4Gateway() {
    return ipv4Gateway;
  }

  public void setIpv4Gateway(String ipv4Gateway) {
    this.ipv4Gateway = ipv4Gateway;
  }

  /** IPv6 gateway handed to the Pod. */
  public String getIpv6Gateway() {
    return ipv6Gateway;
  }

  public void setIpv6Gateway(String ipv6Gateway) {
    this.ipv6Gateway = ipv6Gateway;
  }

  /** Whether the default route was suppressed for this interface; set only with a gateway. */
  public Boolean getCleanGateway() {
    return cleanGateway;
  }

  public void setCleanGateway(Boolean cleanGateway) {
    this.cleanGateway = cleanGateway;
  }

  /** Routes handed to the Pod on this interface. */
  public List<Route> getRoutes() {
    return routes;
  }

  public void setRoutes(List<Route> routes) {
    this.routes = routes;
  }

  /** MAC address supplied by an IaaS provider, {@code aa:bb:cc:dd:ee:ff}, or {@code null}. */
  public String getMac() {
    return mac;
  }

  public void setMac(String mac) {
    this.mac = mac;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IPAllocationDetail d
        && Objects.equals(nic, d.nic)
        && Objects.equals(ipv4, d.ipv4)
        && Objects.equals(ipv6, d.ipv6)
        && Objects.equals(ipv4Pool, d.ipv4Pool)
        && Objects.equals(ipv6Pool, d.ipv6Pool)
        && Objects.equals(vlan, d.vlan)
        && Objects.equals(ipv4Gateway, d.ipv4Gateway)
        && Objects.equals(ipv6Gateway, d.ipv6Gateway)
        && Objects.equals(cleanGateway, d.cleanGateway)
        && Objects.equals(routes, d.routes)
        && Objects.equals(mac, d.mac)
        && sameAdditionalProperties(d);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        nic,
        ipv4,
        ipv6,
        ipv4Pool,
        ipv6Pool,
        vlan,
        ipv4Gateway,
        ipv6Gateway,
        cleanGateway,
        routes,
        mac,
        getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "IPAllocationDetail{interface="
        + nic
        + ", ipv4="
        + ipv4
        + ", ipv6="
        + ipv6
        + ", ipv4Pool="
        + ipv4Pool
        + ", ipv6Pool="
        + ipv6Pool
        + ", vlan="
        + vlan
        + ", ipv4Gateway="
        + ipv4Gateway
        + ", ipv6Gateway="
        + ipv6Gateway
        + ", cleanGateway="
        + cleanGateway
        + ", routes="
        + routes
        + ", mac="
        + mac
        + "}";
  }
}
