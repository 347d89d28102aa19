// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import java.util.List;
import java.util.Optional;

/**
 * The Multus NetworkAttachmentDefinitions behind a Pod's NICs, already parsed at the edge from
 * {@code v1.multus-cni.io/default-network} (or the cluster network) and {@code
 * k8s.v1.cni.cncf.io/networks}, with namespaces filled in. Pools with {@code multusName} are
 * matched against the NAD of the NIC being filtered.
 *
 * @param agentNamespace the Spiderpool namespace: where a bare {@code multusName} points
 * @param defaultNetwork the NAD of the first NIC, or null when neither the Pod annotation nor
 *     {@code MULTUS_CLUSTER_NETWORK} names one
 * @param networks the secondary networks in annotation order
 */
public record MultusNetworks(
    String agentNamespace, NetworkRef defaultNetwork, List<NetworkRef> networks) {

  /**
   * One network attachment.
   *
   * @param interfaceName the requested interface, or empty (then {@code net<i>}, 1-based)
   */
  public record NetworkRef(String namespace, String name, String interfaceName) {
    /** The {@code namespace/name} form {@code multusName} entries are compared with. */
    public String key() {
      return namespace + "/" + name;
    }
  }

  public MultusNetworks {
    networks = networks == null ? List.of() : List.copyOf(networks);
  }

  /** No Multus information: pools with {@code multusName} never match. */
  public static MultusNetworks none(String agentNamespace) {
    return new MultusNetworks(agentNamespace, null, List.of());
  }

  /**
   * The NAD of {@code nic}, as Spiderpool finds it: the first NIC ({@code eth0}, or {@code "0"} in
   * unnamed multi-NIC mode) uses the default network; another NIC uses the attachment whose
   * interface is {@code nic}, or the {@code i}-th attachment when {@code nic} is {@code "i"}.
   */
  public Optional<NetworkRef> forNic(String nic) {
    if (isFirstNic(nic)) {
      return Optional.ofNullable(defaultNetwork);
    }
    for (int i = 0; i < networks.size(); i++) {
      NetworkRef n = networks.get(i);
      String iface =
          n.interfaceName() == null || n.interfaceName().isEmpty()
              ? "net" + (i + 1)
              : n.interfaceName();
      if (nic.equals(iface) || nic.equals(String.valueOf(i + 1))) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code nic} is the Pod's first NIC in Spiderpool's sense. */
  public static boolean isFirstNic(String nic) {
    return "eth0".equals(nic) || "0".equals(nic);
  }

  /** A {@code multusName} entry as {@code namespace/name}; a bare name means the agent's ns. */
  public String qualify(String multusName) {
    return multusName.contains("/") ? multusName : agentNamespace + "/" + multusName;
  }
}
