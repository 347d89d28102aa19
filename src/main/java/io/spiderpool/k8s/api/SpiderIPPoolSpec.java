// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.spiderpool.k8s.api.schema.JsonMergePatchCustomizer;
import io.spiderpool.k8s.api.schema.LabelSelectorSchema;
import java.util.List;
import java.util.Objects;

/**
 * Desired state of a {@link SpiderIPPool}. Lists are {@code null} when absent: Spiderpool treats an
 * absent {@code routes} (inherit from the Subnet) differently from an empty one (no routes).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "ipVersion",
  "subnet",
  "ips",
  "excludeIPs",
  "gateway",
  "routes",
  "podAffinity",
  "namespaceAffinity",
  "namespaceName",
  "nodeAffinity",
  "nodeName",
  "multusName",
  "default",
  "disable"
})
@SchemaCustomizer(value = JsonMergePatchCustomizer.class, input = SchemaPatches.IP_VERSION_ENUM)
public class SpiderIPPoolSpec extends ModelObject {

  private Long ipVersion;

  @Required private String subnet;

  private List<String> ips;

  private List<String> excludeIPs;

  private String gateway;

  private List<Route> routes;

  @SchemaFrom(type = LabelSelectorSchema.class)
  private LabelSelector podAffinity;

  @SchemaFrom(type = LabelSelectorSchema.class)
  private LabelSelector namespaceAffinity;

  private List<String> namespaceName;

  @SchemaFrom(type = LabelSelectorSchema.class)
  private LabelSelector nodeAffinity;

  private List<String> nodeName;

  private List<String> multusName;

  @JsonProperty("default")
  @Default("false")
  private Boolean defaultPool;

  @Default("false")
  private Boolean disable;

  /** 4 or 6; derived from {@code subnet} by the mutating webhook when absent; immutable. */
  public Long getIpVersion() {
    return ipVersion;
  }

  public void setIpVersion(Long ipVersion) {
    this.ipVersion = ipVersion;
  }

  /** Canonical CIDR, e.g. {@code 172.18.40.0/24}; immutable. */
  public String getSubnet() {
    return subnet;
  }

  public void setSubnet(String subnet) {
    this.subnet = subnet;
  }

  /** Addresses and ranges ({@code a} or {@code a-b}) inside {@code subnet}. */
  public List<String> getIps() {
    return ips;
  }

  public void setIps(List<String> ips) {
    this.ips = ips;
  }

  /** Addresses and ranges never handed out. */
  public List<String> getExcludeIPs() {
    return excludeIPs;
  }

  public void setExcludeIPs(List<String> excludeIPs) {
    this.excludeIPs = excludeIPs;
  }

  /** Default gateway for Pods of this pool; inherited from the owning Subnet when absent. */
  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }

  /** Extra routes; {@code null} inherits the Subnet's, an empty list means none. */
  public List<Route> getRoutes() {
    return routes;
  }

  public void setRoutes(List<Route> routes) {
    this.routes = routes;
  }

  /** Pods allowed to use the pool. */
  public LabelSelector getPodAffinity() {
    return podAffinity;
  }

  public void setPodAffinity(LabelSelector podAffinity) {
    this.podAffinity = podAffinity;
  }

  /** Namespaces allowed to use the pool; overridden by a non-empty {@code namespaceName}. */
  public LabelSelector getNamespaceAffinity() {
    return namespaceAffinity;
  }

  public void setNamespaceAffinity(LabelSelector namespaceAffinity) {
    this.namespaceAffinity = namespaceAffinity;
  }

  /** Namespaces allowed to use the pool, by name. */
  public List<String> getNamespaceName() {
    return namespaceName;
  }

  public void setNamespaceName(List<String> namespaceName) {
    this.namespaceName = namespaceName;
  }

  /** Nodes whose Pods may use the pool; overridden by a non-empty {@code nodeName}. */
  public LabelSelector getNodeAffinity() {
    return nodeAffinity;
  }

  public void setNodeAffinity(LabelSelector nodeAffinity) {
    this.nodeAffinity = nodeAffinity;
  }

  /** Nodes whose Pods may use the pool, by name. */
  public List<String> getNodeName() {
    return nodeName;
  }

  public void setNodeName(List<String> nodeName) {
    this.nodeName = nodeName;
  }

  /** NetworkAttachmentDefinitions ({@code ns/name} or {@code name}) allowed to use the pool. */
  public List<String> getMultusName() {
    return multusName;
  }

  public void setMultusName(List<String> multusName) {
    this.multusName = multusName;
  }

  /** Whether this is a cluster-default pool (field {@code default}; Java reserves the word). */
  public Boolean getDefault() {
    return defaultPool;
  }

  public void setDefault(Boolean defaultPool) {
    this.defaultPool = defaultPool;
  }

  /** A disabled pool hands out no new addresses; releases still work. */
  public Boolean getDisable() {
    return disable;
  }

  public void setDisable(Boolean disable) {
    this.disable = disable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiderIPPoolSpec s
        && Objects.equals(ipVersion, s.ipVersion)
        && Objects.equals(subnet, s.subnet)
        && Objects.equals(ips, s.ips)
        && Objects.equals(excludeIPs, s.excludeIPs)
        && Objects.equals(gateway, s.gateway)
        && Objects.equals(routes, s.routes)
        && Objects.equals(podAffinity, s.podAffinity)
        && Objects.equals(namespaceAffinity, s.namespaceAffinity)
        && Objects.equals(namespaceName, s.namespaceName)
        && Objects.equals(nodeAffinity, s.nodeAffinity)
        && Objects.equals(nodeName, s.nodeName)
        && Objects.equals(multusName, s.multusName)
        && Objects.equals(defaultPool, s.defaultPool)
        && Objects.equals(disable, s.disable)
        && sameAdditionalProperties(s);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        ipVersion,
        subnet,
        ips,
        excludeIPs,
        gateway,
        routes,
        podAffinity,
        namespaceAffinity,
        namespaceName,
        nodeAffinity,
        nodeName,
        multusName,
        defaultPool,
        disable,
        getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "SpiderIPPoolSpec{ipVersion="
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
        + ", podAffinity="
        + podAffinity
        + ", namespaceAffinity="
        + namespaceAffinity
        + ", namespaceName="
        + namespaceName
        + ", nodeAffinity="
        + nodeAffinity
        + ", nodeName="
        + nodeName
        + ", multusName="
        + multusName
        + ", default="
        + defaultPool
        + ", disable="
        + disable
        + "}";
  }
}
