// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The physical limit of a single-pool design: how fast the API server accepts status updates of one
 * SpiderIPPool that grows by one record per write, as Spiderpool's allocation does.
 *
 * <ul>
 *   <li>{@code raw}: one writer, each write based on the object the previous write returned — no
 *       read, no conflict: the ceiling;
 *   <li>{@code rmw xN}: N writers each doing GET + add a record + {@code updateStatus}, retrying on
 *       409 — what N agents racing on one pool cost.
 * </ul>
 */
final class ApiserverStatusRate {
  /** Writes per second, 409s and latency percentiles of one scenario. */
  record Result(
      String scenario, int writes, double seconds, int conflicts, Latencies latency, int watched) {
    double perSecond() {
      return writes / seconds;
    }
  }

  private ApiserverStatusRate() {}

  static Result raw(KubernetesClient client, String name, int writes) throws InterruptedException {
    SpiderIPPool p = client.resource(pool(name)).create();
    long[] lat = new long[writes];
    StringBuilder records = new StringBuilder();
    double secs;
    int watched;
    // the watch that counts the engine's writes, checked here against a known number of writes
    try (PoolWriteCounter counter = new PoolWriteCounter(client, name)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < writes; i++) {
        long s = System.nanoTime();
        p.setStatus(status(records, i));
        p = client.resource(p).updateStatus();
        lat[i] = System.nanoTime() - s;
      }
      secs = (System.nanoTime() - t0) / 1e9;
      watched = counter.awaitWrites(writes, 10_000);
    }
    client.resource(p).delete();
    return new Result("raw, 1 writer", writes, secs, 0, new Latencies(lat), watched);
  }

  static Result readModifyWrite(KubernetesClient client, String name, int writes, int writers)
      throws Exception {
    client.resource(pool(name)).create();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    long[] lat = new long[writes];
    ExecutorService ex = Executors.newFixedThreadPool(writers);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      fs.add(
          ex.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < writes; i = next.getAndIncrement()) {
                  long s = System.nanoTime();
                  while (true) {
                    SpiderIPPool cur = client.resources(SpiderIPPool.class).withName(name).get();
                    String old =
                        cur.getStatus() == null || cur.getStatus().getAllocatedIPs() == null
                            ? "{}"
                            : cur.getStatus().getAllocatedIPs();
                    String rec =
                        "\"10.200."
                            + (i / 250)
                            + "."
                            + (i % 250 + 1)
                            + "\":{\"pod\":\"bench/p"
                            + i
                            + "\",\"podUid\":\"u"
                            + i
                            + "\"}";
                    SpiderIPPoolStatus st = new SpiderIPPoolStatus();
                    st.setAllocatedIPs(
                        old.equals("{}")
                            ? "{" + rec + "}"
                            : old.substring(0, old.length() - 1) + "," + rec + "}");
                    st.setAllocatedIPCount(
                        (long) (old.equals("{}") ? 1 : old.split("podUid").length));
                    cur.setStatus(st);
                    try {
                      client.resource(cur).updateStatus();
                      break;
                    } catch (KubernetesClientException e) {
                      if (e.getCode() != 409) {
                        throw e;
                      }
                      conflicts.incrementAndGet();
                    }
                  }
                  lat[i] = System.nanoTime() - s;
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    ex.shutdown();
    client.resources(SpiderIPPool.class).withName(name).delete();
    return new Result(
        "read-modify-write, " + writers + " writers",
        writes,
        secs,
        conflicts.get(),
        new Latencies(lat),
        -1);
  }

  private static SpiderIPPool pool(String name) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(name);
    SpiderIPPoolSpec s = new SpiderIPPoolSpec();
    s.setIpVersion(4L);
    s.setSubnet("10.200.0.0/16");
    s.setIps(List.of("10.200.0.1-10.200.255.254"));
    p.setSpec(s);
    return p;
  }

  private static SpiderIPPoolStatus status(StringBuilder records, int i) {
    if (records.length() > 0) {
      records.append(',');
    }
    records
        .append("\"10.200.")
        .append(i / 250)
        .append('.')
        .append(i % 250 + 1)
        .append("\":{\"pod\":\"bench/p")
        .append(i)
        .append("\",\"podUid\":\"u")
        .append(i)
        .append("\"}");
    SpiderIPPoolStatus st = new SpiderIPPoolStatus();
    st.setAllocatedIPs("{" + records + "}");
    st.setAllocatedIPCount((long) i + 1);
    return st;
  }
}
