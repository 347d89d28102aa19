// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.error.TransientException;

/**
 * A failed API call, named for what it means to an ADD or DEL: no answer at all ("API server
 * unreachable", with the network's own reason, e.g. {@code Connection refused}), or the answer the
 * API server gave. Both are transient (CNI code 11, HTTP 500 on the agent socket): the runtime
 * retries. docs/reliability.md, fault 4.
 */
public final class ApiErrors {
  private ApiErrors() {}

  /** {@code e} as a {@link TransientException} whose message names the cause. */
  public static TransientException named(KubernetesClientException e) {
    if (e.getCode() <= 0) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root == e ? "" : " (" + describe(root) + ")";
      return new TransientException("API server unreachable: " + e.getMessage() + why, e);
    }
    return new TransientException(
        "API server answered HTTP " + e.getCode() + ": " + e.getMessage(), e);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
