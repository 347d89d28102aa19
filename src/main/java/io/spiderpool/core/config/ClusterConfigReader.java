// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Builds a {@link ClusterConfig} from the generic tree of {@code conf.yml} (parsed from YAML at the
 * edge, or JSON in tests). A key of the wrong type fails with its name and the expected type; an
 * absent or null key takes the chart default; unknown keys are listed, not fatal, so a newer chart
 * does not stop an older daemon.
 */
public final class ClusterConfigReader {
  static final String WHERE = "ConfigMap spiderpool-conf, conf.yml";

  /** The key Spiderpool's code reads for the default flexible IP number. */
  static final String REDUNDANT_KEY = "clusterSubnetAutoPoolDefaultRedundantIPNumber";

  /**
   * The key Spiderpool's chart writes for the same number
   * (docs/spiderpool-compat.md#flexible-ip-number-key).
   */
  static final String FLEXIBLE_KEY = "clusterSubnetDefaultFlexibleIPNumber";

  private static final Map<String, BiConsumer<ClusterConfig.Builder, Boolean>> BOOLEANS =
      new LinkedHashMap<>();

  /** Deprecated keys that are accepted and ignored (the old default-subnet feature). */
  private static final List<String> IGNORED_DEPRECATED =
      List.of("clusterDefaultIPv4Subnet", "clusterDefaultIPv6Subnet");

  /** Sections of features outside the IPAM core: must be objects; {@code agent} is kept. */
  private static final List<String> OPAQUE = List.of("agent", "dra");

  static {
    BOOLEANS.put("enableIPv4", (b, v) -> b.enableIpv4 = v);
    BOOLEANS.put("enableIPv6", (b, v) -> b.enableIpv6 = v);
    BOOLEANS.put("enableStatefulSet", (b, v) -> b.enableStatefulSet = v);
    BOOLEANS.put("enableKubevirtStaticIP", (b, v) -> b.enableKubevirtStaticIp = v);
    BOOLEANS.put("enableSpiderSubnet", (b, v) -> b.enableSpiderSubnet = v);
    BOOLEANS.put("enableAutoPoolForApplication", (b, v) -> b.enableAutoPoolForApplication = v);
    BOOLEANS.put("enableCleanOutdatedEndpoint", (b, v) -> b.enableCleanOutdatedEndpoint = v);
    BOOLEANS.put("enableIPConflictDetection", (b, v) -> b.enableIpConflictDetection = v);
    BOOLEANS.put("enableGatewayDetection", (b, v) -> b.enableGatewayDetection = v);
    BOOLEANS.put(
        "enableValidatingResourcesDeletedWebhook",
        (b, v) -> b.enableValidatingResourcesDeletedWebhook = v);
    BOOLEANS.put("tuneSysctlConfig", (b, v) -> b.tuneSysctlConfig = v);
  }

  private ClusterConfigReader() {}

  /**
   * Reads a {@code conf.yml} tree; null (an empty document) gives {@link ClusterConfig#DEFAULTS}.
   *
   * @throws InvalidInputException naming the key, the expected type and what was found
   */
  public static ClusterConfig read(Object tree) {
    try {
      return readTree(tree);
    } catch (InvalidInputException e) {
      throw e.in(WHERE);
    }
  }

  private static ClusterConfig readTree(Object tree) {
    ClusterConfig.Builder b = ClusterConfig.builder();
    Map<String, Object> doc = tree == null ? Map.of() : JsonValues.asObject(tree, "the document");
    List<String> unknown = new ArrayList<>();
    List<String> deprecated = new ArrayList<>();
    for (Map.Entry<String, Object> e : doc.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (value == null) {
        continue; // "key:" with no value: keep the default
      }
      if (!readKnown(b, key, value, deprecated)) {
        unknown.add(key);
      }
    }
    b.flexibleIpNumber = flexibleIpNumber(doc);
    Object pri = doc.get("podResourceInject");
    if (pri != null) {
      b.podResourceInject = podResourceInject(pri, unknown);
    }
    b.deprecated = deprecated;
    b.unknown = unknown;
    return b.build();
  }

  private static boolean readKnown(
      ClusterConfig.Builder b, String key, Object value, List<String> deprecated) {
    BiConsumer<ClusterConfig.Builder, Boolean> flag = BOOLEANS.get(key);
    if (flag != null) {
      flag.accept(b, JsonValues.asBoolean(value, key));
      return true;
    }
    switch (key) {
      case "ipamUnixSocketPath" -> {
        String path = JsonValues.asString(value, key);
        b.ipamUnixSocketPath = path.isEmpty() ? ClusterConfig.DEFAULT_SOCKET_PATH : path;
      }
      case REDUNDANT_KEY, FLEXIBLE_KEY, "podResourceInject" -> {
        // read after the loop: they need the whole document
      }
      case "iaasNetworkProvider" -> iaas(b, JsonValues.asObject(value, key));
      case "clusterDefaultIPv4IPPool" -> {
        b.legacyV4 = JsonValues.asStringList(value, key);
        deprecated.add(key);
      }
      case "clusterDefaultIPv6IPPool" -> {
        b.legacyV6 = JsonValues.asStringList(value, key);
        deprecated.add(key);
      }
      default -> {
        return readOther(b, key, value, deprecated);
      }
    }
    return true;
  }

  private static boolean readOther(
      ClusterConfig.Builder b, String key, Object value, List<String> deprecated) {
    if (OPAQUE.contains(key)) {
      Map<String, Object> section = JsonValues.asObject(value, key);
      if (key.equals("agent")) {
        b.agent = section;
      }
      return true;
    }
    if (IGNORED_DEPRECATED.contains(key)) {
      deprecated.add(key);
      return true;
    }
    return false;
  }

  private static void iaas(ClusterConfig.Builder b, Map<String, Object> section) {
    b.iaasNetworkProvider = section;
    Object url = section.get("serverUrl");
    if (url != null) {
      b.iaasServerUrl = JsonValues.asString(url, "iaasNetworkProvider.serverUrl");
    }
    Object timeout = section.get("httpRequestTimeout");
    if (timeout != null) {
      b.iaasHttpRequestTimeout =
          JsonValues.asString(timeout, "iaasNetworkProvider.httpRequestTimeout");
    }
  }

  /** Spiderpool's code key wins over the chart's spelling when both are set; default 1. */
  private static int flexibleIpNumber(Map<String, Object> doc) {
    String key = doc.get(REDUNDANT_KEY) != null ? REDUNDANT_KEY : FLEXIBLE_KEY;
    Object value = doc.get(key);
    if (value == null) {
      return 1;
    }
    int n = JsonValues.asInt(value, key);
    if (n < 0) {
      throw new InvalidInputException(key + " is " + n + ": write 0 or more");
    }
    return n;
  }

  private static PodResourceInject podResourceInject(Object value, List<String> unknown) {
    String at = "podResourceInject";
    Map<String, Object> section = JsonValues.asObject(value, at);
    PodResourceInject d = PodResourceInject.DEFAULTS;
    boolean enabled = d.enabled();
    List<String> exclude = d.namespacesExclude();
    List<String> include = d.namespacesInclude();
    for (Map.Entry<String, Object> e : section.entrySet()) {
      String path = at + "." + e.getKey();
      if (e.getValue() == null) {
        continue;
      }
      switch (e.getKey()) {
        case "enabled" -> enabled = JsonValues.asBoolean(e.getValue(), path);
        case "namespacesExclude" -> exclude = JsonValues.asStringList(e.getValue(), path);
        case "namespacesInclude" -> include = JsonValues.asStringList(e.getValue(), path);
        default -> unknown.add(path);
      }
    }
    return new PodResourceInject(enabled, exclude, include);
  }
}
