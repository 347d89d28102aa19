// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.TopController;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AppRef;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.AutoPoolSize;
import io.spiderpool.core.subnet.AutoPoolWait;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.subnet.AppKind;
import io.spiderpool.k8s.subnet.AutoPoolSync;
import io.spiderpool.k8s.subnet.AutoPoolTarget;
import io.spiderpool.k8s.subnet.SubnetObjects;
import io.spiderpool.k8s.subnet.WriteGate;
import io.spiderpool.service.ipam.AutoPoolRequest;
import io.spiderpool.service.ipam.AutoPools;
import io.spiderpool.service.ipam.KeyedLocks;
import io.spiderpool.service.ipam.PoolStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The node daemon's {@link AutoPools}: an ADD of a subnet-annotated Pod waits on the node's pool
 * watch cache — woken by every change it takes in, not polling the API server — until the
 * application's pool exists under its current UID and has an address for the Pod, at most {@link
 * AutoPoolWait#budget()}. Spiderpool's agent instead polls and wants the pool at exactly its
 * desired size, which keeps Pods in ContainerCreating while the controller lags a scale-up (#4376);
 * here any free address will do, and a timeout says which pool lacks how many addresses and why.
 *
 * <p>A third-party application's pool (docs/subnet.md#third-party-controllers) is made here, on the
 * ADD path, with the fixed size its {@code ippool-ip-number} must give.
 */
public final class KubernetesAutoPools implements AutoPools {
  private final KubernetesClient client;
  private final KubernetesPoolDirectory pools;
  private final AutoPoolWait wait;
  private final IpamMetrics metrics;
  private final int maxRecords;
  private final AutoPoolSync sync;
  private final CacheSignal signal = new CacheSignal();

  /** Each Pod's wait deadline, so a second wait of the same ADD does not start a new budget. */
  private final Map<String, Instant> deadlines = new ConcurrentHashMap<>();

  public KubernetesAutoPools(
      KubernetesClient client,
      KubernetesPoolDirectory pools,
      AutoPoolWait wait,
      IpamMetrics metrics,
      int maxRecords) {
    this.client = client;
    this.pools = pools;
    this.wait = wait;
    this.metrics = metrics;
    this.maxRecords = maxRecords;
    this.sync =
        new AutoPoolSync(
            client,
            WriteGate.DIRECT,
            pools::reserved,
            AutoPoolSync.Observer.NONE,
            new KeyedLocks());
    pools.onChange(signal::bump);
  }

  @Override
  public Map<IpFamily, String> await(AutoPoolRequest r) {
    Instant deadline = Instant.now().plus(wait.budget());
    deadlines.values().removeIf(d -> d.isBefore(Instant.now()));
    deadlines.put(r.podUid(), deadline);
    if (!AppRef.isNative(r.app().apiVersion(), r.app().kind())) {
      makeThirdPartyPools(r);
    }
    Map<IpFamily, String> out = new EnumMap<>(IpFamily.class);
    boolean counted = false;
    for (IpFamily f : r.families()) {
      String subnet = r.item().subnet(f).orElseThrow();
      while (true) {
        long seen = signal.version();
        SpiderIPPool pool = find(r, f);
        if (pool != null && !subnet.equals(SubnetObjects.ownerSubnet(pool))) {
          throw new InvalidInputException(
              describe(r.app())
                  + " names SpiderSubnet "
                  + subnet
                  + " for "
                  + r.item().nic()
                  + " "
                  + f
                  + ", but its auto-pool "
                  + pool.getMetadata().getName()
                  + " belongs to SpiderSubnet "
                  + SubnetObjects.ownerSubnet(pool)
                  + ": restore the annotation, or re-create the application");
        }
        if (pool != null && ready(pool, f, r.podUid())) {
          out.put(f, pool.getMetadata().getName());
          break;
        }
        if (!counted) {
          metrics.autoPoolWaited();
          counted = true;
        }
        pause(seen, deadline, () -> notReady(r, f, subnet, pool));
      }
    }
    return out;
  }

  @Override
  public void awaitRoom(String pool, String podUid) {
    Instant deadline = deadlines.getOrDefault(podUid, Instant.now().plus(wait.budget()));
    metrics.autoPoolWaited();
    // the allocation found it full on a fresh read: the cache must move on before it can say
    // otherwise
    long seen = signal.version();
    while (true) {
      pause(seen, deadline, () -> full(pool));
      seen = signal.version();
      SpiderIPPool p = pools.cached(pool);
      IpFamily f = p == null ? null : SubnetObjects.cidr(p).family();
      if (p != null && ready(p, f, podUid)) {
        return;
      }
    }
  }

  /**
   * Waits for the cache to change or the next look; throws {@code timeout}'s exception at the
   * deadline.
   */
  private void pause(long seen, Instant deadline, Supplier<TransientException> timeout) {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw timeout.get();
    }
    Duration tick = wait.interval().isZero() ? left : wait.interval();
    if (!signal.awaitChange(seen, left.compareTo(tick) < 0 ? left : tick)) {
      throw new TransientException("interrupted while waiting for an auto-created IPPool");
    }
  }

  /**
   * The application's pool of this NIC and family in the cache, owned by its current UID and not
   * being deleted.
   */
  private SpiderIPPool find(AutoPoolRequest r, IpFamily f) {
    Map<String, String> query = AutoPoolLabels.query(r.app(), r.item().nic(), f);
    return pools.cachedPools().stream()
        .filter(
            p ->
                p.getMetadata().getDeletionTimestamp() == null
                    && p.getMetadata().getLabels() != null
                    && p.getMetadata().getLabels().entrySet().containsAll(query.entrySet())
                    && r.app()
                        .uid()
                        .equals(p.getMetadata().getLabels().get(AutoPoolLabels.OWNER_UID)))
        .min(Comparator.comparing(p -> p.getMetadata().getName()))
        .orElse(null);
  }

  /**
   * Whether the pool can serve the Pod: it holds an address of the Pod's already, or has a free
   * one.
   */
  private boolean ready(SpiderIPPool pool, IpFamily f, String podUid) {
    PoolStore.Snapshot s;
    try {
      s = KubernetesPoolStore.snapshot(pool);
    } catch (InvalidInputException malformed) {
      return false;
    }
    if (!s.records().heldBy(podUid).isEmpty()) {
      return true;
    }
    return s.records().size() < maxRecords
        && s.space().usable().minus(pools.reserved(f)).lowestNotIn(s.records().used(f)).isPresent();
  }

  /**
   * docs/subnet.md#third-party-controllers: the pool of a third-party application is made by the
   * first ADD of its Pods, fixed size only.
   */
  private void makeThirdPartyPools(AutoPoolRequest r) {
    if (r.number().flexible()) {
      throw new InvalidInputException(
          "SpiderSubnet only supports fixed auto-created IPPool IP Number for"
              + " third-party controller "
              + describe(r.app())
              + ": set ipam.spidernet.io/ippool-ip-number to a"
              + " number such as \"5\" in its Pod template (\"+N\" needs a replica count, which only Kubernetes'"
              + " own controllers have)");
    }
    for (IpFamily f : r.families()) {
      SpiderIPPool cached = find(r, f);
      if (cached != null
          && SubnetObjects.poolIps(cached, SubnetObjects.cidr(cached)).sizeCapped()
              == r.number().count()
          && String.valueOf(r.reclaim())
              .equals(cached.getMetadata().getLabels().get(AutoPoolLabels.RECLAIM))) {
        continue;
      }
      sync.sync(
          new AutoPoolTarget(
              r.item().subnet(f).orElseThrow(),
              r.app(),
              r.item().nic(),
              f,
              r.number().count(),
              r.number(),
              r.reclaim()));
    }
  }

  private TransientException notReady(
      AutoPoolRequest r, IpFamily f, String subnet, SpiderIPPool pool) {
    Size size = size(r);
    String waited = " after waiting " + wait.budget().toSeconds() + "s";
    if (pool == null) {
      return new TransientException(
          "no auto-created "
              + f
              + " IPPool for "
              + describe(r.app())
              + " (interface "
              + r.item().nic()
              + ", SpiderSubnet "
              + subnet
              + ")"
              + waited
              + ": "
              + whyMissing(subnet, f, size));
    }
    PoolStore.Snapshot s = KubernetesPoolStore.snapshot(pool);
    long holds = s.space().usable().minus(pools.reserved(f)).sizeCapped();
    StringBuilder m =
        new StringBuilder("IPPool ")
            .append(pool.getMetadata().getName())
            .append(" (auto-created for ")
            .append(describe(r.app()))
            .append(" from SpiderSubnet ")
            .append(subnet)
            .append(") has no free address for this Pod")
            .append(waited)
            .append(": it holds ")
            .append(holds)
            .append(" addresses, ")
            .append(s.records().size())
            .append(" allocated");
    if (size == null) {
      return new TransientException(m.append("; it lacks at least 1").toString());
    }
    m.append(", and should hold ")
        .append(size.desired())
        .append(" (")
        .append(size.explain())
        .append(")");
    if (size.desired() > holds) {
      long free = subnetFree(subnet, f);
      m.append(", so it lacks ").append(size.desired() - holds).append(": ");
      m.append(
          free >= 0 && free < size.desired() - holds
              ? "SpiderSubnet "
                  + subnet
                  + " has only "
                  + free
                  + " free addresses; add addresses to its spec.ips"
              : "the controller role has not grown it yet; check that a daemon holds the Lease"
                  + " spiderpool-controller-leases and look at its log");
    } else {
      m.append(
          ", so it lacks 1: the application runs more Pods than the pool's size (a rolling update, or Pods"
              + " whose addresses are not released yet); give it spare addresses with"
              + " ipam.spidernet.io/ippool-ip-number: \"+N\"");
    }
    return new TransientException(m.toString());
  }

  private String whyMissing(String subnet, IpFamily f, Size size) {
    long free = subnetFree(subnet, f);
    if (free < 0) {
      return "SpiderSubnet "
          + subnet
          + " does not exist (or is not an "
          + f
          + " subnet): create it, or fix"
          + " ipam.spidernet.io/subnet(s)";
    }
    if (size != null && free < size.desired()) {
      return "SpiderSubnet "
          + subnet
          + " has only "
          + free
          + " free addresses and the pool needs "
          + size.desired()
          + " ("
          + size.explain()
          + "), so it lacks "
          + (size.desired() - free)
          + ": add addresses to the SpiderSubnet's spec.ips, or lower the replicas or"
          + " ipam.spidernet.io/ippool-ip-number";
    }
    return "SpiderSubnet "
        + subnet
        + " has "
        + free
        + " free addresses, so the pool has not been made yet:"
        + " check that a daemon holds the Lease spiderpool-controller-leases and look at its log";
  }

  private TransientException full(String pool) {
    SpiderIPPool p = pools.cached(pool);
    int allocated =
        p == null || p.getStatus() == null
            ? 0
            : PoolRecords.parse(p.getStatus().getAllocatedIPs()).size();
    return new TransientException(
        "IPPool "
            + pool
            + " has no free address for this Pod after waiting "
            + wait.budget().toSeconds()
            + "s: all "
            + allocated
            + " of its addresses are allocated; it lacks 1"
            + " (another Pod took the last one)");
  }

  /**
   * The subnet's free addresses (not carved, not reserved); -1 when it does not exist or is of the
   * other family.
   */
  private long subnetFree(String name, IpFamily f) {
    try {
      SpiderSubnet s = client.resources(SpiderSubnet.class).withName(name).get();
      if (s == null || SubnetObjects.cidr(s).family() != f) {
        return -1;
      }
      RangeSet free =
          SubnetObjects.addresses(s)
              .minus(SubnetObjects.controlled(s).carvedExcept(null, f))
              .minus(pools.reserved(f));
      return free.sizeCapped();
    } catch (KubernetesClientException | InvalidInputException e) {
      return -1;
    }
  }

  /** How many addresses the application's pool should hold, as the controller computes it. */
  private record Size(int desired, String explain) {}

  private Size size(AutoPoolRequest r) {
    if (!r.number().flexible()) {
      return new Size(r.number().count(), "fixed ipam.spidernet.io/ippool-ip-number");
    }
    return AppKind.of(r.app().apiVersion(), r.app().kind()).map(k -> replicas(k, r)).orElse(null);
  }

  private <T extends HasMetadata> Size replicas(AppKind<T> kind, AutoPoolRequest r) {
    try {
      T app =
          client
              .resources(kind.type())
              .inNamespace(r.app().namespace())
              .withName(r.app().name())
              .get();
      if (app == null) {
        return null;
      }
      int replicas = kind.replicasOf(app);
      return new Size(
          AutoPoolSize.desired(r.number(), replicas),
          "replicas " + replicas + " + " + r.number().count());
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  private static String describe(TopController app) {
    return app.kind() + " " + app.namespace() + "/" + app.name();
  }
}
