// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.ops;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How an operator asks the controller role for a GC scan (docs/cli.md#gc): the request is the
 * annotation {@link SpiderpoolApi#GC_REQUESTED} on each SpiderIPPool, a token the controller role
 * copies to {@link SpiderpoolApi#GC_DONE} once it has collected that pool. No port, no RBAC beyond
 * patching pools, and whichever process holds the role (a daemon or {@code spiderpool controller})
 * serves it.
 */
public final class GcRequests {
  private final KubernetesClient client;

  public GcRequests(KubernetesClient client) {
    this.client = client;
  }

  /** One pool's request state: {@code pending} when the last request is not served yet. */
  public record PoolGcState(String pool, String requested, String done, boolean pending) {}

  /** Asks for a scan of every pool with {@code token}; returns the pools asked. */
  public List<String> requestAll(String token) {
    List<String> asked = new ArrayList<>();
    for (SpiderIPPool p : client.resources(SpiderIPPool.class).list().getItems()) {
      String name = p.getMetadata().getName();
      client
          .resources(SpiderIPPool.class)
          .withName(name)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{\""
                  + SpiderpoolApi.GC_REQUESTED
                  + "\":"
                  + JsonWriter.write(token)
                  + "}}}");
      asked.add(name);
    }
    asked.sort(Comparator.naturalOrder());
    return asked;
  }

  /** The request state of every pool, by name. */
  public List<PoolGcState> states() {
    List<PoolGcState> out = new ArrayList<>();
    for (SpiderIPPool p : client.resources(SpiderIPPool.class).list().getItems()) {
      Map<String, String> a = p.getMetadata().getAnnotations();
      String requested = a == null ? "" : a.getOrDefault(SpiderpoolApi.GC_REQUESTED, "");
      String done = a == null ? "" : a.getOrDefault(SpiderpoolApi.GC_DONE, "");
      out.add(
          new PoolGcState(
              p.getMetadata().getName(),
              requested,
              done,
              !requested.isEmpty() && !requested.equals(done)));
    }
    out.sort(Comparator.comparing(PoolGcState::pool));
    return out;
  }
}
