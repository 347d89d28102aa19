// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.annotation.MultusNetworks;
import io.spiderpool.core.net.IpFamily;
import java.util.Map;
import java.util.Optional;

/**
 * Step 3 of selection: whether one pool may serve this Pod's NIC, in Spiderpool's order of checks
 * (terminating, disabled, family, node, namespace, pod affinity, Multus) and with its reason
 * strings, so pod events read the same. Exhaustion is not a filter: a full pool fails at allocation
 * and the next pool is tried.
 */
final class PoolFilter {
  /** The five podAffinity matchLabels of an auto-created pool that identify its application. */
  static final String APP_API_GROUP = "ipam.spidernet.io/app-api-group";

  static final String APP_API_VERSION = "ipam.spidernet.io/app-api-version";
  static final String APP_KIND = "ipam.spidernet.io/app-kind";
  static final String APP_NAMESPACE = "ipam.spidernet.io/app-namespace";
  static final String APP_NAME = "ipam.spidernet.io/app-name";

  private PoolFilter() {}

  /** Why {@code pool} cannot serve, or empty when it can. */
  static Optional<String> reject(PoolView pool, IpFamily family, SelectionRequest r, String nic) {
    String name = pool.name();
    if (pool.terminating()) {
      return Optional.of("terminating IPPool " + name);
    }
    if (pool.disabled()) {
      return Optional.of("disabled IPPool " + name);
    }
    if (pool.family() != family) {
      return Optional.of(
          "expect an "
              + family
              + " IPPool, but the version of the IPPool "
              + name
              + " is "
              + (pool.family() == null ? "unset" : pool.family()));
    }
    Optional<String> placement = node(pool, r).or(() -> namespace(pool, r));
    if (placement.isPresent()) {
      return placement;
    }
    if (pool.podAffinity() != null) {
      if (pool.isAutoCreated()) {
        // Spiderpool accepts a matching auto-created pool right away: no Multus check.
        return matchesApplication(pool.podAffinity(), r.topController())
            ? Optional.empty()
            : Optional.of("unmatched Pod affinity of auto-created IPPool " + name);
      }
      if (!pool.podAffinity().matches(r.podLabels())) {
        return Optional.of("unmatched Pod affinity of IPPool " + name);
      }
    }
    return multus(pool, r, nic);
  }

  private static Optional<String> node(PoolView pool, SelectionRequest r) {
    if (!pool.nodeNames().isEmpty()) {
      return pool.nodeNames().contains(r.nodeName())
          ? Optional.empty()
          : Optional.of("unmatched Node name of IPPool " + pool.name());
    }
    if (pool.nodeAffinity() != null && !pool.nodeAffinity().matches(r.nodeLabels())) {
      return Optional.of("unmatched Node affinity of IPPool " + pool.name());
    }
    return Optional.empty();
  }

  private static Optional<String> namespace(PoolView pool, SelectionRequest r) {
    if (!pool.namespaceNames().isEmpty()) {
      return pool.namespaceNames().contains(r.podNamespace())
          ? Optional.empty()
          : Optional.of("unmatched Namespace name of IPPool " + pool.name());
    }
    if (pool.namespaceAffinity() != null
        && !pool.namespaceAffinity().matches(r.namespaceLabels())) {
      return Optional.of("unmatched Namespace affinity of IPPool " + pool.name());
    }
    return Optional.empty();
  }

  /** The auto-pool rule: its app labels must name the Pod's top controller; Pod labels unused. */
  static boolean matchesApplication(LabelSelector affinity, TopController app) {
    Map<String, String> labels = affinity.matchLabels();
    return labels.getOrDefault(APP_API_GROUP, "").equals(app.group())
        && labels.getOrDefault(APP_API_VERSION, "").equals(app.version())
        && labels.getOrDefault(APP_KIND, "").equals(app.kind())
        && labels.getOrDefault(APP_NAMESPACE, "").equals(app.namespace())
        && labels.getOrDefault(APP_NAME, "").equals(app.name());
  }

  private static Optional<String> multus(PoolView pool, SelectionRequest r, String nic) {
    if (pool.multusNames().isEmpty()) {
      return Optional.empty();
    }
    MultusNetworks multus = r.multus();
    Optional<MultusNetworks.NetworkRef> nad = multus.forNic(nic);
    if (nad.isEmpty()) {
      return Optional.of(
          MultusNetworks.isFirstNic(nic)
              ? "cluster-network multus isn't set, the IPPool "
                  + pool.name()
                  + " specified multusName "
                  + list(pool)
                  + " unmatched"
              : "no Multus network attachment for interface "
                  + nic
                  + ", the IPPool "
                  + pool.name()
                  + " specified multusName "
                  + list(pool)
                  + " unmatched");
    }
    String actual = nad.get().key();
    for (String wanted : pool.multusNames()) {
      if (multus.qualify(wanted).equals(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "interface "
            + nic
            + " IPPool "
            + pool.name()
            + " specified multusName "
            + list(pool)
            + " unmatched multusCR "
            + actual);
  }

  /** Go's %v of a string slice: {@code [a b]}. */
  private static String list(PoolView pool) {
    return "[" + String.join(" ", pool.multusNames()) + "]";
  }
}
