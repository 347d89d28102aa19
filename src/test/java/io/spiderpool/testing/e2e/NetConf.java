// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One network configuration as a runtime hands it to the main plugin: {@code cniVersion}, {@code
 * name}, {@code type} and the plugin's own keys, with an {@code ipam} section. Immutable; the
 * builders return copies.
 */
public final class NetConf {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root;

  private NetConf(ObjectNode root) {
    this.root = root;
  }

  /** macvlan in bridge mode over {@code master}. */
  public static NetConf macvlan(String cniVersion, String name, String master, ObjectNode ipam) {
    ObjectNode n = base(cniVersion, name, "macvlan");
    n.put("master", master).put("mode", "bridge");
    n.set("ipam", ipam);
    return new NetConf(n);
  }

  /**
   * bridge on {@code bridge}, not a gateway and without masquerading: no address on the host side.
   */
  public static NetConf bridge(String cniVersion, String name, String bridge, ObjectNode ipam) {
    ObjectNode n = base(cniVersion, name, "bridge");
    n.put("bridge", bridge).put("isGateway", false).put("ipMasq", false);
    n.set("ipam", ipam);
    return new NetConf(n);
  }

  /** Spiderpool's IPAM section (keys as in Spiderpool's CNI config); empty lists are left out. */
  public static ObjectNode spiderpoolIpam(
      Path socket, List<String> v4Pools, List<String> v6Pools, boolean cleanGateway, Path logFile) {
    ObjectNode ipam = JSON.createObjectNode();
    ipam.put("type", "spiderpool");
    ipam.put("log_level", "debug");
    if (logFile != null) {
      ipam.put("log_file_path", logFile.toString());
    }
    ipam.put("ipam_unix_socket_path", socket.toString());
    if (!v4Pools.isEmpty()) {
      ArrayNode a = ipam.putArray("default_ipv4_ippool");
      v4Pools.forEach(a::add);
    }
    if (!v6Pools.isEmpty()) {
      ArrayNode a = ipam.putArray("default_ipv6_ippool");
      v6Pools.forEach(a::add);
    }
    ipam.put("clean_gateway", cleanGateway);
    return ipam;
  }

  /** host-local over the given subnets (one range set each), state under {@code dataDir}. */
  public static ObjectNode hostLocalIpam(
      Path dataDir, List<String> subnets, List<String> gateways) {
    ObjectNode ipam = JSON.createObjectNode();
    ipam.put("type", "host-local");
    ipam.put("dataDir", dataDir.toString());
    ArrayNode ranges = ipam.putArray("ranges");
    ArrayNode routes = ipam.putArray("routes");
    for (int i = 0; i < subnets.size(); i++) {
      ObjectNode r = ranges.addArray().addObject().put("subnet", subnets.get(i));
      if (gateways.get(i) != null) {
        r.put("gateway", gateways.get(i));
        routes.addObject().put("dst", subnets.get(i).contains(":") ? "::/0" : "0.0.0.0/0");
      }
    }
    return ipam;
  }

  private static ObjectNode base(String cniVersion, String name, String type) {
    ObjectNode n = JSON.createObjectNode();
    n.put("cniVersion", cniVersion).put("name", name).put("type", type);
    return n;
  }

  /** The main plugin's {@code type}. */
  public String type() {
    return root.path("type").asText();
  }

  /** The {@code cniVersion}. */
  public String cniVersion() {
    return root.path("cniVersion").asText();
  }

  /** The network {@code name}. */
  public String name() {
    return root.path("name").asText();
  }

  /** The {@code ipam} section (a copy). */
  public ObjectNode ipam() {
    return ((ObjectNode) root.path("ipam")).deepCopy();
  }

  /** This config with a different {@code ipam} section. */
  public NetConf withIpam(ObjectNode ipam) {
    ObjectNode n = root.deepCopy();
    n.set("ipam", ipam);
    return new NetConf(n);
  }

  /**
   * This config with {@code prevResult} set (parsed from the cached ADD output), or unchanged when
   * {@code prevResult} is {@code null}.
   */
  public NetConf withPrevResult(String prevResult) {
    if (prevResult == null || prevResult.isBlank()) {
      return this;
    }
    ObjectNode n = root.deepCopy();
    n.set("prevResult", parse(prevResult));
    return new NetConf(n);
  }

  /** This config with another {@code cniVersion}, e.g. 1.1.0 for GC and STATUS. */
  public NetConf withCniVersion(String cniVersion) {
    ObjectNode n = root.deepCopy();
    n.put("cniVersion", cniVersion);
    return new NetConf(n);
  }

  /**
   * This config as a runtime sends it with GC (CNI 1.1.0): {@code cni.dev/valid-attachments} lists
   * the attachments still in use; the plugin should release everything else.
   */
  public NetConf withValidAttachments(List<CniRuntime.Attachment> valid) {
    ObjectNode n = root.deepCopy();
    ArrayNode a = n.putArray("cni.dev/valid-attachments");
    for (CniRuntime.Attachment v : valid) {
      a.addObject().put("containerID", v.containerId()).put("ifname", v.ifName());
    }
    return new NetConf(n);
  }

  /** The JSON text a runtime writes to the plugin's stdin. */
  public String json() {
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }

  @Override
  public String toString() {
    return json();
  }
}
