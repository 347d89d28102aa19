// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.annotation.MultusNetworks.NetworkRef;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multus' Pod annotations as Spiderpool reads them to match pools' {@code multusName}: {@code
 * v1.multus-cni.io/default-network} (else the cluster network) for the first NIC, and {@code
 * k8s.v1.cni.cncf.io/networks} — {@code ns/name@if} items separated by commas, or a JSON array of
 * {@code {"name","namespace","interface"}} — for the others.
 */
public final class MultusAnnotations {
  public static final String DEFAULT_NETWORK = "v1.multus-cni.io/default-network";
  public static final String NETWORKS = "k8s.v1.cni.cncf.io/networks";

  private MultusAnnotations() {}

  /**
   * Resolves the Pod's networks. A bare name of the default network lives in the agent's namespace;
   * a bare name of a secondary network in the Pod's.
   *
   * @param clusterNetwork {@code MULTUS_CLUSTER_NETWORK} ({@code ns/name}), or null
   */
  public static MultusNetworks parse(
      Map<String, String> podAnnotations,
      String podNamespace,
      String agentNamespace,
      String clusterNetwork) {
    String def = podAnnotations.get(DEFAULT_NETWORK);
    NetworkRef first = null;
    if (def != null && !def.isBlank()) {
      first = single(def.trim(), agentNamespace, DEFAULT_NETWORK);
    } else if (clusterNetwork != null && !clusterNetwork.isBlank()) {
      first = ref(clusterNetwork.trim(), agentNamespace, "MULTUS_CLUSTER_NETWORK");
    }
    String nets = podAnnotations.get(NETWORKS);
    List<NetworkRef> secondary =
        nets == null || nets.isBlank() ? List.of() : networks(nets.trim(), podNamespace);
    return new MultusNetworks(agentNamespace, first, secondary);
  }

  private static NetworkRef single(String value, String defaultNs, String where) {
    if (value.startsWith("[") || value.startsWith("{")) {
      List<NetworkRef> l =
          jsonNetworks(value.startsWith("{") ? "[" + value + "]" : value, defaultNs, where);
      if (l.size() != 1) {
        throw new InvalidInputException(
            where + ": name exactly one network, e.g. kube-system/macvlan");
      }
      return l.get(0);
    }
    return ref(value, defaultNs, where);
  }

  private static List<NetworkRef> networks(String value, String podNamespace) {
    if (value.startsWith("[")) {
      return jsonNetworks(value, podNamespace, NETWORKS);
    }
    List<NetworkRef> out = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        out.add(ref(item.trim(), podNamespace, NETWORKS));
      }
    }
    return out;
  }

  /** {@code [ns/]name[@interface]}. */
  private static NetworkRef ref(String item, String defaultNs, String where) {
    String iface = "";
    int at = item.indexOf('@');
    if (at >= 0) {
      iface = item.substring(at + 1);
      item = item.substring(0, at);
    }
    int slash = item.indexOf('/');
    String ns = slash < 0 ? defaultNs : item.substring(0, slash);
    String name = slash < 0 ? item : item.substring(slash + 1);
    if (name.isEmpty() || ns.isEmpty() || name.contains("/")) {
      throw new InvalidInputException(
          where
              + ": '"
              + item
              + "' is not a network reference: write"
              + " name, namespace/name or namespace/name@interface");
    }
    return new NetworkRef(ns, name, iface);
  }

  private static List<NetworkRef> jsonNetworks(String json, String defaultNs, String where) {
    List<NetworkRef> out = new ArrayList<>();
    List<Object> items;
    try {
      items = JsonValues.asArray(JsonReader.parse(json), where);
    } catch (InvalidInputException e) {
      throw e.in(where);
    }
    for (int i = 0; i < items.size(); i++) {
      String path = where + "[" + i + "]";
      Map<String, Object> o = JsonValues.asObject(items.get(i), path);
      Object name = o.get("name");
      if (name == null) {
        throw new InvalidInputException(path + ": \"name\" must be specified");
      }
      Object ns = o.get("namespace");
      Object iface = o.get("interface");
      out.add(
          new NetworkRef(
              ns == null ? defaultNs : JsonValues.asString(ns, path + ".namespace"),
              JsonValues.asString(name, path + ".name"),
              iface == null ? "" : JsonValues.asString(iface, path + ".interface")));
    }
    return out;
  }
}
