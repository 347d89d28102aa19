// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.testing.e2e.ClusterFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The throughput ceiling of any design that records each allocation in its own object, as
 * Spiderpool does with a SpiderEndpoint per Pod: how fast the API server creates SpiderEndpoints,
 * copies of one that our daemon wrote (same size, labels, owner and finalizers), with as many
 * creates in flight as the allocation bench has ADDs in flight. Nothing else is written.
 */
final class EndpointCreateRate {
  /** Creates per second, failed creates and latency percentiles. */
  record Result(int creates, int failures, double seconds, Latencies latency) {
    double perSecond() {
      return (creates - failures) / seconds;
    }
  }

  private EndpointCreateRate() {}

  /**
   * Creates {@code n} copies of {@code template} in a namespace of their own, {@code inflight} at a
   * time; they are left behind with the benchmark's throw-away control plane.
   */
  static Result measure(KubernetesClient client, SpiderEndpoint template, int inflight, int n)
      throws Exception {
    String ns = "bench-ceiling";
    new ClusterFixtures(client).namespace(ns, Map.of(), Map.of());
    ObjectMeta m = template.getMetadata();
    long[] lat = new long[n];
    AtomicInteger failed = new AtomicInteger();
    ExecutorService ex = Executors.newFixedThreadPool(inflight);
    List<Future<?>> fs = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int idx = i;
      fs.add(
          ex.submit(
              () -> {
                SpiderEndpoint e = new SpiderEndpoint();
                e.setMetadata(
                    new ObjectMetaBuilder()
                        .withNamespace(ns)
                        .withName("ceiling-" + idx)
                        .withLabels(m.getLabels())
                        .withAnnotations(m.getAnnotations())
                        .withOwnerReferences(m.getOwnerReferences())
                        .withFinalizers(m.getFinalizers())
                        .build());
                e.setStatus(template.getStatus());
                long s = System.nanoTime();
                try {
                  client.resource(e).create();
                } catch (RuntimeException err) {
                  failed.incrementAndGet();
                  System.err.printf("SpiderEndpoint create %d: %s%n", idx, err.getMessage());
                }
                lat[idx] = System.nanoTime() - s;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    ex.shutdown();
    return new Result(n, failed.get(), secs, new Latencies(lat));
  }
}
