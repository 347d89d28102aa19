// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.subnet.AutoPoolWait;
import io.spiderpool.k8s.pods.KubernetesPodDirectory;
import io.spiderpool.service.ipam.EngineSettings;
import io.spiderpool.service.ipam.IpamEngine;
import io.spiderpool.service.ipam.PoolCommitter;
import java.time.Duration;

/**
 * The allocation engine wired to a Kubernetes API server: pool and endpoint stores, the Pod
 * directory, and watch caches for selection. Close it to stop the watches.
 */
public final class KubernetesIpam implements AutoCloseable {
  /**
   * How long an ADD (and any other pool change) keeps trying while other nodes win the pool: the
   * CNI plugin waits 100 s for the daemon (SpoolTransport), so the answer comes before it gives up.
   */
  public static final Duration WRITE_BUDGET = Duration.ofSeconds(90);

  private final KubernetesPoolDirectory pools;
  private final KubernetesPodDirectory directory;
  private final PoolCommitter committer;
  private final IpamEngine engine;

  public KubernetesIpam(KubernetesClient client, EngineSettings settings) {
    this(client, settings, IpamMetrics.NOOP);
  }

  /** The engine reporting pool-write conflicts to {@code metrics}. */
  public KubernetesIpam(KubernetesClient client, EngineSettings settings, IpamMetrics metrics) {
    this(client, settings, metrics, AutoPoolWait.DEFAULTS);
  }

  /**
   * With how long an ADD waits for its SpiderSubnet auto-pool ({@code
   * SPIDERPOOL_WAIT_SUBNET_POOL_*}).
   */
  public KubernetesIpam(
      KubernetesClient client, EngineSettings settings, IpamMetrics metrics, AutoPoolWait wait) {
    this.pools = new KubernetesPoolDirectory(client);
    CacheSignal poolChanged = new CacheSignal();
    pools.onChange(poolChanged::bump);
    this.committer =
        new PoolCommitter(
            new KubernetesPoolStore(client, pools::cached, poolChanged),
            snap -> pools.reserved(snap.space().subnet().family()),
            settings.maxRecordsPerPool(),
            WRITE_BUDGET,
            metrics);
    this.directory = new KubernetesPodDirectory(client, settings.nodeName());
    this.engine =
        new IpamEngine(
            committer,
            pools,
            directory,
            new KubernetesEndpointStore(client),
            settings,
            new KubernetesAutoPools(client, pools, wait, metrics, settings.maxRecordsPerPool()));
  }

  public IpamEngine engine() {
    return engine;
  }

  /** Whether the pool has reached this node's watch cache (selection sees it). */
  public boolean knowsPool(String name) {
    return pools.catalog().get(name).isPresent();
  }

  /** Whether a SpiderReservedIP holding {@code ip} has reached this node's watch cache. */
  public boolean knowsReserved(IpAddress ip) {
    return pools.reserved(ip.family()).contains(ip);
  }

  /** Pool status writes and conflicts so far. */
  public PoolCommitter committer() {
    return committer;
  }

  @Override
  public void close() {
    pools.close();
    directory.close();
  }
}
