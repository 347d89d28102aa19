// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.pool.TopController;
import java.util.List;
import java.util.Optional;

/**
 * An application as the subnet's {@code controlledIPPools} names it: {@code
 * <group>_<version>_<Kind>_<namespace>_<name>}, or {@code <version>_<Kind>_<namespace>_<name>} for
 * the core group ({@code v1_Pod_ns_name}). Names, namespaces and groups cannot contain "_", so the
 * text splits back unambiguously.
 */
public record AppRef(String apiVersion, String kind, String namespace, String name) {
  private static final List<String> NATIVE_VERSIONS = List.of("v1", "apps/v1", "batch/v1");
  private static final List<String> NATIVE_KINDS =
      List.of("Pod", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob");

  public static AppRef of(TopController app) {
    return new AppRef(app.apiVersion(), app.kind(), app.namespace(), app.name());
  }

  /** The {@code application} text of a {@code controlledIPPools} entry. */
  public String key() {
    return AutoPoolLabels.groupVersion(apiVersion) + "_" + kind + "_" + namespace + "_" + name;
  }

  /** Reads {@link #key()} back; empty for text of another shape. */
  public static Optional<AppRef> parse(String key) {
    String[] p = key.split("_", -1);
    if (p.length == 4) {
      return Optional.of(new AppRef(p[0], p[1], p[2], p[3]));
    }
    if (p.length == 5) {
      return Optional.of(new AppRef(p[0] + "/" + p[1], p[2], p[3], p[4]));
    }
    return Optional.empty();
  }

  /**
   * Whether Kubernetes' own controllers run this kind (Spiderpool's list); anything else is a
   * third-party controller, whose pool is made on the ADD path with a fixed size
   * (docs/subnet.md#third-party-controllers).
   */
  public static boolean isNative(String apiVersion, String kind) {
    return NATIVE_VERSIONS.contains(apiVersion) && NATIVE_KINDS.contains(kind);
  }

  public boolean isNative() {
    return isNative(apiVersion, kind);
  }

  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
