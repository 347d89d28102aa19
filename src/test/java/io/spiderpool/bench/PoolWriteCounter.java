// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.spiderpool.k8s.api.SpiderIPPool;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Counts the writes that reached one pool object: every distinct {@code resourceVersion} a watch
 * reports after it started. Each successful status update is one; a 409 is none.
 */
final class PoolWriteCounter implements AutoCloseable {
  private final Set<String> versions = ConcurrentHashMap.newKeySet();
  private final Watch watch;

  PoolWriteCounter(KubernetesClient client, String pool) {
    String from =
        client
            .resources(SpiderIPPool.class)
            .withName(pool)
            .get()
            .getMetadata()
            .getResourceVersion();
    this.watch =
        client
            .resources(SpiderIPPool.class)
            .withName(pool)
            .watch(
                new ListOptionsBuilder().withResourceVersion(from).build(),
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, SpiderIPPool p) {
                    if (action == Action.MODIFIED) {
                      versions.add(p.getMetadata().getResourceVersion());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    if (cause != null) {
                      System.err.println("pool watch closed: " + cause);
                    }
                  }
                });
  }

  /** Writes seen so far. */
  int writes() {
    return versions.size();
  }

  /** Waits up to {@code millis} for {@code n} writes to be seen; returns the number seen. */
  int awaitWrites(int n, long millis) {
    try {
      await(n + " pool writes seen by the watch")
          .atMost(Duration.ofMillis(millis))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> versions.size() >= n);
    } catch (ConditionTimeoutException fewer) {
      // the bench reports how many it saw
    }
    return versions.size();
  }

  @Override
  public void close() {
    watch.close();
  }
}
