// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.annotation.GoBool;
import io.spiderpool.core.annotation.IpNumber;
import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.annotation.MultusAnnotations;
import io.spiderpool.core.annotation.PodRoute;
import io.spiderpool.core.annotation.PoolNames;
import io.spiderpool.core.annotation.RoutesAnnotation;
import io.spiderpool.core.annotation.SubnetItem;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.CandidateSource;
import io.spiderpool.core.pool.NicCandidates;
import io.spiderpool.core.pool.PoolSelection;
import io.spiderpool.core.pool.PoolSelector;
import io.spiderpool.core.pool.PoolView;
import io.spiderpool.core.pool.SelectionRequest;
import io.spiderpool.core.pool.TopController;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Standard allocation (docs/spiderpool-compat.md#standard-allocation) for the NICs of one ADD:
 * select candidates, take the lowest free address from the first pool of each NIC and family that
 * has one, and record the result in the Pod's endpoint. All or nothing: when any NIC or family
 * fails, or the endpoint cannot be written, every address taken by this call is released again
 * before the error reaches the caller — nothing partial lives only in memory (Spiderpool #2517).
 */
final class Allocator {
  private final PoolCommitter committer;
  private final PoolDirectory pools;
  private final PodDirectory directory;
  private final EngineSettings settings;
  private final AutoPools autoPools;

  Allocator(
      PoolCommitter committer,
      PoolDirectory pools,
      PodDirectory directory,
      EngineSettings settings,
      AutoPools autoPools) {
    this.committer = committer;
    this.pools = pools;
    this.directory = directory;
    this.settings = settings;
    this.autoPools = autoPools;
  }

  /** The deadline of an ADD that starts now (the pool committer's budget). */
  long deadlineFromNow() {
    return committer.deadlineFromNow();
  }

  /** An address this call took, for rollback. */
  record Taken(String pool, IpAddress ip, boolean reused) {}

  /** The candidates for this ADD: all NICs with {@code ippools}, else only the current one. */
  PoolSelection select(AddRequest req, PodDirectory.PodInfo pod, TopController owner) {
    PodDirectory.Labeled ns = directory.namespace(pod.namespace());
    PodDirectory.Labeled node = directory.node(pod.nodeName());
    SelectionRequest sel =
        SelectionRequest.builder(req.ifName(), pod.namespace(), pod.name())
            .pod(pod.labels(), pod.annotations())
            .topController(owner)
            .namespace(ns.labels(), ns.annotations())
            .node(pod.nodeName(), node.labels())
            .cniConfig(
                new PoolNames(req.defaultIpv4Pools(), req.defaultIpv6Pools()), req.cleanGateway())
            .cluster(settings.config())
            .multus(
                MultusAnnotations.parse(
                    pod.annotations(),
                    pod.namespace(),
                    settings.agentNamespace(),
                    settings.multusClusterNetwork()))
            .build();
    Optional<SubnetItem> item = PoolSelector.subnetRoute(sel);
    if (item.isPresent()) {
      sel = sel.withSubnetAutoPools(autoPools(item.get(), sel, pod, owner));
    }
    return PoolSelector.select(sel, pools.catalog());
  }

  /**
   * The application's auto-pools for this NIC, once they can serve the Pod (waiting on the node's
   * cache while the controller role makes or grows them). The annotations were checked by {@link
   * PoolSelector#subnetRoute}.
   */
  private Map<IpFamily, String> autoPools(
      SubnetItem item, SelectionRequest sel, PodDirectory.PodInfo pod, TopController owner) {
    List<IpFamily> families = new ArrayList<>();
    for (IpFamily f : IpFamily.values()) {
      if (item.subnet(f).isPresent() && sel.cluster().enabled(f)) {
        families.add(f);
      }
    }
    if (families.isEmpty()) {
      return Map.of();
    }
    IpNumber number =
        IpNumber.fromPod(pod.annotations(), sel.cluster().clusterSubnetDefaultFlexibleIpNumber());
    return autoPools.await(
        new AutoPoolRequest(
            owner, item, number, GoBool.reclaimIpPool(pod.annotations()), pod.uid(), families));
  }

  /**
   * Allocates the NICs of {@code selection} that {@code existing} does not have yet and returns the
   * new entries. {@code existing} may be null. Pool writes lost to other nodes are retried until
   * {@code deadline} ({@link System#nanoTime()}).
   */
  List<EndpointRecord.Nic> allocate(
      AddRequest req,
      PodDirectory.PodInfo pod,
      PoolSelection selection,
      EndpointRecord existing,
      List<Taken> taken,
      long deadline) {
    List<NicCandidates> wanted =
        selection.source() == CandidateSource.IPPOOLS_ANNOTATION
            ? selection.nics()
            : selection
                .forNic(req.ifName())
                .map(List::of)
                .orElseThrow(
                    () ->
                        new InvalidInputException(
                            "no pool selection applies to interface " + req.ifName()));
    Set<IpAddress> held = heldBy(existing);
    String routesAnnotation = pod.annotations().get(IpamAnnotations.POD_ROUTES);
    List<PodRoute> podRoutes =
        routesAnnotation == null ? List.of() : RoutesAnnotation.parse(routesAnnotation);
    String podKey = PoolRecord.podKey(pod.namespace(), pod.name());
    List<EndpointRecord.Nic> out = new ArrayList<>();
    for (int i = 0; i < wanted.size(); i++) {
      NicCandidates nic = wanted.get(i);
      String name = nicName(selection, nic, i, req.ifName());
      if (existing != null
          && existing.nics().stream().anyMatch(n -> n.nic().equals(name) && !name.isEmpty())) {
        continue;
      }
      boolean auto = selection.source() == CandidateSource.SUBNET_ANNOTATION;
      Family v4 = allocateFamily(nic, IpFamily.V4, podKey, pod.uid(), held, taken, auto, deadline);
      Family v6 = allocateFamily(nic, IpFamily.V6, podKey, pod.uid(), held, taken, auto, deadline);
      if (v4 == null && v6 == null) {
        throw new InvalidInputException("no IPv4 or IPv6 pool applies to interface " + nic.nic());
      }
      out.add(
          new EndpointRecord.Nic(
              name,
              v4 == null ? null : v4.address,
              v4 == null ? null : v4.pool,
              v4 == null ? null : v4.gateway,
              v6 == null ? null : v6.address,
              v6 == null ? null : v6.pool,
              v6 == null ? null : v6.gateway,
              nic.cleanGateway(),
              routes(name, v4, v6, podRoutes)));
    }
    return out;
  }

  /**
   * Unnamed {@code ippools} mode numbers NICs "0", "1", …: the first becomes the interface of this
   * ADD (eth0 in practice) and the others wait, unnamed, for their own ADD to claim them.
   */
  private static String nicName(
      PoolSelection selection, NicCandidates nic, int index, String ifName) {
    if (selection.source() != CandidateSource.IPPOOLS_ANNOTATION || selection.namedInterfaces()) {
      return nic.nic();
    }
    return index == 0 ? ifName : "";
  }

  private static Set<IpAddress> heldBy(EndpointRecord ep) {
    Set<IpAddress> held = new HashSet<>();
    if (ep != null) {
      for (EndpointRecord.Nic n : ep.nics()) {
        if (n.ipv4() != null) {
          held.add(Cidr.parsePrefixed(n.ipv4()).address());
        }
        if (n.ipv6() != null) {
          held.add(Cidr.parsePrefixed(n.ipv6()).address());
        }
      }
    }
    return held;
  }

  /** One family's allocation on one NIC. */
  private record Family(String pool, String address, String gateway, Cidr subnet) {}

  /**
   * One family's address from the first candidate that has one. An auto-pool found full (another
   * Pod took its last address since it was seen with room) is waited for again, within the ADD's
   * wait budget, instead of failing the ADD at once.
   */
  private Family allocateFamily(
      NicCandidates nic,
      IpFamily family,
      String podKey,
      String uid,
      Set<IpAddress> held,
      List<Taken> taken,
      boolean autoPool,
      long deadline) {
    List<PoolView> candidates = nic.pools(family);
    if (candidates.isEmpty()) {
      return null;
    }
    List<String> reasons = new ArrayList<>();
    for (PoolView pool : candidates) {
      Attempt a =
          autoPool
              ? fromAutoPool(pool, podKey, uid, held, taken, deadline)
              : fromPool(pool, podKey, uid, held, taken, deadline);
      if (a.family() != null) {
        return a.family();
      }
      reasons.add(pool.name() + ": " + a.failure().getMessage());
    }
    throw new PoolExhaustedException(
        "failed to allocate any "
            + family
            + " IP address to NIC "
            + nic.nic()
            + " from IPPools "
            + nic.poolNames(family)
            + ": "
            + String.join("; ", reasons));
  }

  /** An address from one pool, or why it gave none. */
  private record Attempt(Family family, Throwable failure) {}

  private Attempt fromAutoPool(
      PoolView pool,
      String podKey,
      String uid,
      Set<IpAddress> held,
      List<Taken> taken,
      long deadline) {
    while (true) {
      Attempt a = fromPool(pool, podKey, uid, held, taken, deadline);
      if (a.family() != null || !(a.failure() instanceof PoolExhaustedException)) {
        return a;
      }
      autoPools.awaitRoom(pool.name(), uid);
    }
  }

  private Attempt fromPool(
      PoolView pool,
      String podKey,
      String uid,
      Set<IpAddress> held,
      List<Taken> taken,
      long deadline) {
    try {
      PoolState.Allocated a =
          committer
              .<PoolState.Allocated>submit(
                  pool.name(),
                  true,
                  state -> {
                    PoolState.Allocated r = state.allocate(podKey, uid, held);
                    return new PoolCommitter.Applied<>(r, r.next());
                  },
                  deadline)
              .join();
      taken.add(new Taken(pool.name(), a.ip(), a.reused()));
      held.add(a.ip());
      Cidr subnet = pool.subnet();
      return new Attempt(
          new Family(
              pool.name(),
              a.ip() + "/" + subnet.prefix(),
              pool.gateway() == null ? null : pool.gateway().toString(),
              subnet),
          null);
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TransientException t) {
        throw t;
      }
      return new Attempt(null, cause);
    }
  }

  private List<AddResult.RouteConfig> routes(
      String nic, Family v4, Family v6, List<PodRoute> podRoutes) {
    List<AddResult.RouteConfig> out = new ArrayList<>();
    for (Family f : new Family[] {v4, v6}) {
      if (f == null) {
        continue;
      }
      pools.routes(f.pool).forEach(r -> out.add(new AddResult.RouteConfig(nic, r.dst(), r.gw())));
      for (PodRoute r : podRoutes) {
        if (f.subnet.contains(r.gw())) {
          out.add(new AddResult.RouteConfig(nic, r.dst().toString(), r.gw().toString()));
        }
      }
    }
    return out;
  }

  /** Gives back every address this call took; best effort, the GC catches what this misses. */
  void rollback(List<Taken> taken, String uid) {
    for (Taken t : taken) {
      try {
        committer
            .submit(
                t.pool(), state -> new PoolCommitter.Applied<>(null, state.release(t.ip(), uid)))
            .join();
      } catch (CompletionException ignored) {
        // the record stays owned by this Pod UID: a retried ADD reuses it, the GC frees it
        // otherwise
      }
    }
  }
}
