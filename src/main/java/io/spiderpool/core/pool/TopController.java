// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

/**
 * The Pod's top controller as Spiderpool resolves it (Deployment over ReplicaSet, CronJob over Job;
 * the Pod itself when it has no controller; a third-party owner as-is).
 *
 * @param apiVersion e.g. {@code apps/v1}, {@code v1} for a bare Pod
 */
public record TopController(
    String apiVersion, String kind, String namespace, String name, String uid) {

  /** A Pod without a controller: the Pod itself. */
  public static TopController orphanPod(String namespace, String name, String uid) {
    return new TopController("v1", "Pod", namespace, name, uid);
  }

  /** Whether this is a Pod without a controller. */
  public boolean isOrphanPod() {
    return "v1".equals(apiVersion) && "Pod".equals(kind);
  }

  /** The API group: "apps" for apps/v1, "" for v1. */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The API version without the group: "v1" for apps/v1 and for v1. */
  public String version() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }
}
