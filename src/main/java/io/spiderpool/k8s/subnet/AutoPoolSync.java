// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.subnet;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AppRef;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.AutoPoolName;
import io.spiderpool.core.subnet.AutoPoolPlan;
import io.spiderpool.core.subnet.ControlledPools;
import io.spiderpool.core.subnet.SubnetExhaustedException;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderpoolApi;
import io.spiderpool.service.ipam.KeyedLocks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Brings one application's auto-pool to its size (docs/subnet.md, "Resizing"): reads the subnet and
 * the pool (the first attempt may take them from a watch cache, later ones read fresh), plans with
 * {@link AutoPoolPlan}, then writes (1) the subnet's carve, (2) the pool, (3) the subnet's release,
 * each a compare-and-set through the {@link WriteGate}. A lost race starts over from fresh reads; a
 * pass cut short at any point is finished by the next one, which plans from what was written.
 *
 * <p>The controller role runs it for Kubernetes' own controllers; a node daemon runs it on the ADD
 * path for third-party controllers. Passes of one process on one subnet run one at a time.
 */
public final class AutoPoolSync {
  private static final Logger LOG = Logger.getLogger(AutoPoolSync.class.getName());
  static final int ATTEMPTS = 8;

  private final KubernetesClient client;
  private final WriteGate gate;
  private final Function<IpFamily, RangeSet> reserved;
  private final Observer observer;
  private final KeyedLocks subnets;

  /** What the test suite watches: each write, right after it was made. */
  public interface Observer {
    Observer NONE = new Observer() {};

    /** Write (1) of {@code pool}'s pass landed on the subnet. */
    default void carved(String subnet, String pool) {}

    /** Write (2): the pool was created or updated. */
    default void poolWritten(String pool) {}
  }

  /**
   * Watch caches a pass may start from. A stale copy costs nothing but a lost compare-and-set: the
   * pass then starts over from fresh reads. Either method may answer null (not known): the pass
   * reads fresh.
   */
  public interface Cache {
    Cache NONE =
        new Cache() {
          @Override
          public SpiderSubnet subnet(String name) {
            return null;
          }

          @Override
          public List<SpiderIPPool> pools(Map<String, String> labels) {
            return null;
          }
        };

    /** The subnet as the cache has it, or null. */
    SpiderSubnet subnet(String name);

    /**
     * The pools carrying all of {@code labels} as the cache has them, or null when it cannot say.
     */
    List<SpiderIPPool> pools(Map<String, String> labels);
  }

  /**
   * What a pass did.
   *
   * @param pool the pool's name
   * @param ips its {@code spec.ips} now
   * @param stuck allocated addresses above the size (a shrink waits for their release)
   * @param wrote whether anything was written
   */
  public record Outcome(String pool, RangeSet ips, int stuck, boolean wrote) {}

  /**
   * @param reserved SpiderReservedIP addresses per family, never carved
   * @param subnets locks per subnet shared with the subnet controller of the same process
   */
  public AutoPoolSync(
      KubernetesClient client,
      WriteGate gate,
      Function<IpFamily, RangeSet> reserved,
      Observer observer,
      KeyedLocks subnets) {
    this.client = client;
    this.gate = gate;
    this.reserved = reserved;
    this.observer = observer;
    this.subnets = subnets;
  }

  /**
   * Resizes (or creates) the pool.
   *
   * @throws InvalidInputException the subnet is missing, being deleted, of the other family, or the
   *     application's pool belongs to another subnet
   * @throws SubnetExhaustedException the subnet has too few free addresses (nothing written)
   * @throws TransientException every attempt lost a race
   */
  public Outcome sync(AutoPoolTarget t) {
    return sync(t, Cache.NONE);
  }

  /** As {@link #sync(AutoPoolTarget)}, the first attempt reading from {@code cache}. */
  public Outcome sync(AutoPoolTarget t, Cache cache) {
    return subnets.with(
        t.subnet(),
        () -> {
          for (int attempt = 1; ; attempt++) {
            try {
              return once(t, attempt == 1 ? cache : Cache.NONE);
            } catch (SubnetExhaustedException e) {
              if (attempt > 1 || cache == Cache.NONE) {
                throw e;
              } // a lagging cache may miss addresses given back meanwhile: judge on fresh reads
            } catch (KubernetesClientException e) {
              if ((e.getCode() != 409 && e.getCode() != 404) || attempt >= ATTEMPTS) {
                throw e.getCode() == 409 || e.getCode() == 404
                    ? new TransientException(
                        t + ": " + ATTEMPTS + " attempts lost a race with other writers; retry", e)
                    : e;
              }
            }
          }
        });
  }

  private Outcome once(AutoPoolTarget t, Cache cache) {
    SpiderSubnet cached = cache.subnet(t.subnet());
    SpiderSubnet subnet =
        cached != null ? cached : client.resources(SpiderSubnet.class).withName(t.subnet()).get();
    String app = t.app().kind() + " " + t.app().namespace() + "/" + t.app().name();
    if (subnet == null) {
      throw new InvalidInputException(
          "SpiderSubnet "
              + t.subnet()
              + " does not exist: create it, or name an"
              + " existing one in ipam.spidernet.io/subnet(s) of "
              + app);
    }
    if (subnet.getMetadata().getDeletionTimestamp() != null) {
      throw new InvalidInputException(
          "SpiderSubnet "
              + t.subnet()
              + " is being deleted: no pool is made or"
              + " resized from it; name another SpiderSubnet in ipam.spidernet.io/subnet(s) of "
              + app);
    }
    Cidr cidr = SubnetObjects.cidr(subnet);
    if (cidr.family() != t.family()) {
      throw new InvalidInputException(
          "SpiderSubnet "
              + t.subnet()
              + " is "
              + cidr.family()
              + " ("
              + cidr
              + ") but is named as the "
              + t.family()
              + " subnet of "
              + app
              + ": fix ipv4/ipv6 in"
              + " ipam.spidernet.io/subnet(s)");
    }
    SpiderIPPool pool = find(t, cache);
    if (pool != null && !t.subnet().equals(SubnetObjects.ownerSubnet(pool))) {
      throw new InvalidInputException(
          app
              + " now names SpiderSubnet "
              + t.subnet()
              + " for "
              + t.nic()
              + " "
              + t.family()
              + ", but its auto-pool "
              + pool.getMetadata().getName()
              + " belongs to SpiderSubnet "
              + SubnetObjects.ownerSubnet(pool)
              + ": a pool cannot move; restore the annotation, or delete the"
              + " application (or the pool) so that a new one is made");
    }
    if (pool != null && pool.getMetadata().getDeletionTimestamp() != null) {
      throw new TransientException(
          "auto-pool "
              + pool.getMetadata().getName()
              + " of "
              + app
              + " is being deleted; it is made again once its addresses are released");
    }
    String name =
        pool != null
            ? pool.getMetadata().getName()
            : AutoPoolName.of(t.app().name(), t.family(), t.nic(), t.app().uid());
    ControlledPools controlled = SubnetObjects.controlled(subnet);
    RangeSet poolIps =
        pool == null ? RangeSet.empty(t.family()) : SubnetObjects.poolIps(pool, cidr);
    RangeSet allocated =
        pool == null ? RangeSet.empty(t.family()) : SubnetObjects.allocated(pool, t.family());
    AutoPoolPlan plan =
        AutoPoolPlan.of(
            new AutoPoolPlan.Input(
                name,
                AppRef.of(t.app()).key(),
                t.family(),
                SubnetObjects.addresses(subnet),
                reserved.apply(t.family()),
                controlled,
                poolIps,
                allocated,
                t.desired()));
    if (plan.shortage().isPresent()) {
      throw new SubnetExhaustedException(t.subnet(), name, plan.shortage().get());
    }
    boolean wrote = false;
    SpiderSubnet current = subnet;
    boolean poolChanges = pool == null || updated(pool, t, plan.target(), poolIps) != null;
    // a subnet from a cache is confirmed by writing it (a stale one is a 409): the pool may be
    // written only on a current view of what other pools hold
    if (plan.carves(controlled) || (cached != null && poolChanges)) {
      current = writeStatus(subnet, plan.carve());
      observer.carved(t.subnet(), name);
      wrote = true;
    }
    if (pool == null) {
      SpiderIPPool fresh = newPool(name, t, subnet, cidr, plan.target());
      gate.write(() -> client.resource(fresh).create());
      LOG.info(
          "created "
              + t
              + ": IPPool "
              + name
              + " with "
              + plan.target().size()
              + " addresses "
              + plan.target());
      observer.poolWritten(name);
      wrote = true;
    } else {
      SpiderIPPool changed = updated(pool, t, plan.target(), poolIps);
      if (changed != null) {
        gate.write(() -> client.resource(changed).update());
        LOG.info(
            "resized IPPool "
                + name
                + " of "
                + app
                + " from "
                + poolIps.size()
                + " to "
                + plan.target().size()
                + " addresses"
                + (plan.stuck() > 0
                    ? " ("
                        + plan.stuck()
                        + " allocated addresses above the size wait for their Pods)"
                    : ""));
        observer.poolWritten(name);
        wrote = true;
      }
    }
    if (plan.releases()) {
      writeStatus(current, plan.settled());
      wrote = true;
    }
    return new Outcome(name, plan.target(), plan.stuck(), wrote);
  }

  private SpiderSubnet writeStatus(SpiderSubnet s, ControlledPools controlled) {
    SpiderSubnet copy =
        SubnetObjects.recordControlled(client.getKubernetesSerialization().clone(s), controlled);
    return gate.write(() -> client.resource(copy).updateStatus());
  }

  /**
   * The application's pool of this interface and family, read fresh: Spiderpool's label query
   * without the subnet (so a changed subnet is noticed), skipping a predecessor's reclaimable pool
   * (same kind, namespace and name, another UID: it is being reclaimed). A kept pool ({@code
   * ippool-reclaim: false}) of a predecessor is inherited. Several: the lowest name.
   */
  private SpiderIPPool find(AutoPoolTarget t, Cache cache) {
    Map<String, String> query = AutoPoolLabels.query(t.app(), t.nic(), t.family());
    List<SpiderIPPool> known = cache.pools(query);
    List<SpiderIPPool> found =
        new ArrayList<>(
            known != null
                ? known
                : client
                    .resources(SpiderIPPool.class)
                    .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(query).build())
                    .list()
                    .getItems());
    found.removeIf(
        p ->
            "true".equals(label(p, AutoPoolLabels.RECLAIM))
                && !t.app().uid().equals(label(p, AutoPoolLabels.OWNER_UID)));
    found.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return found.isEmpty() ? null : found.get(0);
  }

  private static String label(SpiderIPPool p, String key) {
    return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(key);
  }

  private static SpiderIPPool newPool(
      String name, AutoPoolTarget t, SpiderSubnet subnet, Cidr cidr, RangeSet ips) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(name);
    p.getMetadata()
        .setLabels(AutoPoolLabels.of(t.subnet(), cidr, t.app(), t.nic(), t.family(), t.reclaim()));
    p.getMetadata()
        .setAnnotations(
            new LinkedHashMap<>(Map.of(AutoPoolLabels.IP_NUMBER, t.number().toString())));
    p.getMetadata().setFinalizers(new ArrayList<>(List.of(SpiderpoolApi.FINALIZER)));
    p.getMetadata()
        .setOwnerReferences(new ArrayList<>(List.of(SubnetObjects.ownerReference(subnet))));
    SpiderIPPoolSpec s = new SpiderIPPoolSpec();
    s.setIpVersion((long) t.family().version());
    s.setSubnet(cidr.toString());
    s.setIps(ips.toStrings());
    s.setGateway(subnet.getSpec().getGateway());
    s.setRoutes(
        subnet.getSpec().getRoutes() == null
            ? null
            : new ArrayList<>(subnet.getSpec().getRoutes()));
    s.setPodAffinity(
        new LabelSelectorBuilder().withMatchLabels(AutoPoolLabels.podAffinity(t.app())).build());
    p.setSpec(s);
    return p;
  }

  /**
   * A copy of {@code pool} with the target addresses, the application's UID and reclaim label and
   * the size annotation; null when all are already so (Spiderpool leaves such a pool alone).
   */
  private SpiderIPPool updated(SpiderIPPool pool, AutoPoolTarget t, RangeSet target, RangeSet now) {
    Map<String, String> labels =
        pool.getMetadata().getLabels() == null
            ? new HashMap<>()
            : new HashMap<>(pool.getMetadata().getLabels());
    labels.put(AutoPoolLabels.OWNER_UID, t.app().uid());
    labels.put(AutoPoolLabels.RECLAIM, Boolean.toString(t.reclaim()));
    Map<String, String> notes =
        pool.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(pool.getMetadata().getAnnotations());
    notes.put(AutoPoolLabels.IP_NUMBER, t.number().toString());
    if (labels.equals(pool.getMetadata().getLabels())
        && notes.equals(pool.getMetadata().getAnnotations())
        && target.equals(now)) {
      return null;
    }
    SpiderIPPool copy = client.getKubernetesSerialization().clone(pool);
    copy.getMetadata().setLabels(labels);
    copy.getMetadata().setAnnotations(notes);
    copy.getSpec().setIps(target.toStrings());
    return copy;
  }
}
