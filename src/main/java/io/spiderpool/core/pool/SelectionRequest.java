// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.annotation.MultusNetworks;
import io.spiderpool.core.annotation.PoolNames;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.net.IpFamily;
import java.util.Map;

/**
 * Everything pool selection reads about one CNI ADD, as an immutable snapshot: the Pod, its
 * namespace, node and top controller, the NIC, the CNI config defaults, the cluster config and the
 * Pod's Multus networks. Annotations are kept raw because only the winning source's annotation is
 * parsed (a broken lower-priority annotation does not fail the ADD, as upstream).
 *
 * @param nic {@code CNI_IFNAME}
 * @param cniDefaultPools {@code default_ipv4_ippool} / {@code default_ipv6_ippool}
 * @param cniCleanGateway {@code clean_gateway} of the CNI config
 * @param subnetAutoPools seam for SpiderSubnet: the auto-created pool per family, resolved by the
 *     caller (waiting for the controller) when {@link PoolSelector#subnetRoute} says the subnet
 *     source applies; empty otherwise
 */
public record SelectionRequest(
    String nic,
    String podNamespace,
    String podName,
    Map<String, String> podLabels,
    Map<String, String> podAnnotations,
    TopController topController,
    Map<String, String> namespaceLabels,
    Map<String, String> namespaceAnnotations,
    String nodeName,
    Map<String, String> nodeLabels,
    PoolNames cniDefaultPools,
    boolean cniCleanGateway,
    ClusterConfig cluster,
    MultusNetworks multus,
    Map<IpFamily, String> subnetAutoPools) {

  public SelectionRequest {
    podLabels = Map.copyOf(podLabels);
    podAnnotations = Map.copyOf(podAnnotations);
    namespaceLabels = Map.copyOf(namespaceLabels);
    namespaceAnnotations = Map.copyOf(namespaceAnnotations);
    nodeLabels = Map.copyOf(nodeLabels);
    subnetAutoPools = Map.copyOf(subnetAutoPools);
  }

  /** A request for {@code nic} of Pod {@code namespace/name}; everything else starts empty. */
  public static Builder builder(String nic, String podNamespace, String podName) {
    return new Builder(nic, podNamespace, podName);
  }

  /** A copy with the auto-created pools the caller resolved for the subnet source. */
  public SelectionRequest withSubnetAutoPools(Map<IpFamily, String> pools) {
    return new SelectionRequest(
        nic,
        podNamespace,
        podName,
        podLabels,
        podAnnotations,
        topController,
        namespaceLabels,
        namespaceAnnotations,
        nodeName,
        nodeLabels,
        cniDefaultPools,
        cniCleanGateway,
        cluster,
        multus,
        pools);
  }

  /** Fills a request field by field; defaults: no labels/annotations, chart cluster config. */
  public static final class Builder {
    private final String nic;
    private final String podNamespace;
    private final String podName;
    private Map<String, String> podLabels = Map.of();
    private Map<String, String> podAnnotations = Map.of();
    private TopController topController;
    private Map<String, String> namespaceLabels = Map.of();
    private Map<String, String> namespaceAnnotations = Map.of();
    private String nodeName = "";
    private Map<String, String> nodeLabels = Map.of();
    private PoolNames cniDefaultPools = PoolNames.NONE;
    private boolean cniCleanGateway;
    private ClusterConfig cluster = ClusterConfig.DEFAULTS;
    private MultusNetworks multus = MultusNetworks.none("kube-system");
    private Map<IpFamily, String> subnetAutoPools = Map.of();

    private Builder(String nic, String podNamespace, String podName) {
      this.nic = nic;
      this.podNamespace = podNamespace;
      this.podName = podName;
    }

    public Builder pod(Map<String, String> labels, Map<String, String> annotations) {
      podLabels = labels;
      podAnnotations = annotations;
      return this;
    }

    public Builder topController(TopController v) {
      topController = v;
      return this;
    }

    public Builder namespace(Map<String, String> labels, Map<String, String> annotations) {
      namespaceLabels = labels;
      namespaceAnnotations = annotations;
      return this;
    }

    public Builder node(String name, Map<String, String> labels) {
      nodeName = name;
      nodeLabels = labels;
      return this;
    }

    public Builder cniConfig(PoolNames defaultPools, boolean cleanGateway) {
      cniDefaultPools = defaultPools;
      cniCleanGateway = cleanGateway;
      return this;
    }

    public Builder cluster(ClusterConfig v) {
      cluster = v;
      return this;
    }

    public Builder multus(MultusNetworks v) {
      multus = v;
      return this;
    }

    public Builder subnetAutoPools(Map<IpFamily, String> v) {
      subnetAutoPools = v;
      return this;
    }

    /** The request; a missing top controller means the Pod has none (an orphan Pod). */
    public SelectionRequest build() {
      TopController top =
          topController != null
              ? topController
              : TopController.orphanPod(podNamespace, podName, "");
      return new SelectionRequest(
          nic,
          podNamespace,
          podName,
          podLabels,
          podAnnotations,
          top,
          namespaceLabels,
          namespaceAnnotations,
          nodeName,
          nodeLabels,
          cniDefaultPools,
          cniCleanGateway,
          cluster,
          multus,
          subnetAutoPools);
    }
  }
}
