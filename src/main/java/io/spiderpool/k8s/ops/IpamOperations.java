// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.ops;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pod.PodLiveness;
import io.spiderpool.core.pool.TopController;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.IPAllocationDetail;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.pods.KubernetesPodDirectory;
import io.spiderpool.k8s.store.KubernetesEndpointStore;
import io.spiderpool.k8s.store.KubernetesPoolStore;
import io.spiderpool.k8s.subnet.ReservedAddresses;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.EndpointRecord;
import io.spiderpool.service.ipam.EndpointStore;
import io.spiderpool.service.ipam.PodDirectory;
import io.spiderpool.service.ipam.PoolStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The operator's reads and hand edits of allocations (docs/cli.md), on the stores the daemon uses:
 * pool records are written with the pool's resourceVersion (compare-and-set) and the owner UID is
 * checked again on the fresh read before every write, so an address re-assigned between the
 * operator's look and the write is never freed or handed out twice. A change is split into a plan
 * (what the operator is shown, and what {@code --dry-run} stops at) and its application.
 */
public final class IpamOperations {
  private static final int CAS_ATTEMPTS = 8;

  private final KubernetesClient client;
  private final KubernetesPoolStore poolStore;
  private final KubernetesEndpointStore endpointStore;

  public IpamOperations(KubernetesClient client) {
    this.client = client;
    this.poolStore = new KubernetesPoolStore(client);
    this.endpointStore = new KubernetesEndpointStore(client);
  }

  // ---------------------------------------------------------------- reads

  /** Usage of every pool, by name. */
  public List<PoolUsage> pools() {
    List<SpiderIPPool> pools = listPools();
    List<SpiderReservedIP> reserved = client.resources(SpiderReservedIP.class).list().getItems();
    Map<String, Map<String, Integer>> perNode = recordsPerNode(pools, listEndpoints());
    List<PoolUsage> out = new ArrayList<>();
    for (SpiderIPPool p : pools) {
      out.add(usage(p, reserved, perNode.getOrDefault(p.getMetadata().getName(), Map.of())));
    }
    return out;
  }

  /** One pool's usage and records; NOT_FOUND when there is no such pool. */
  public PoolDetail pool(String name) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(name).get();
    if (p == null) {
      throw OperatorError.notFound(
          "no SpiderIPPool " + name + "; 'spiderpool pool list' shows the pools there are");
    }
    List<SpiderEndpoint> endpoints = listEndpoints();
    Map<String, EndpointAddress> listed = endpointAddresses(endpoints);
    List<PoolDetail.Holder> holders = new ArrayList<>();
    for (Map.Entry<String, PoolRecord> r :
        KubernetesPoolStore.snapshot(p).records().asMap().entrySet()) {
      EndpointAddress e = listed.get(name + "|" + r.getKey());
      boolean same = e != null && e.uid().equals(r.getValue().podUid());
      holders.add(
          new PoolDetail.Holder(
              r.getKey(),
              r.getValue().pod(),
              r.getValue().podUid(),
              same ? e.node() : "",
              same ? e.nic() : ""));
    }
    holders.sort(Comparator.comparing(h -> IpAddress.parse(h.ip())));
    List<SpiderReservedIP> reserved = client.resources(SpiderReservedIP.class).list().getItems();
    return new PoolDetail(
        usage(p, reserved, recordsPerNode(List.of(p), endpoints).getOrDefault(name, Map.of())),
        holders);
  }

  /** Who holds {@code ipText}, in every pool that has it in its ranges or records it. */
  public AddressInfo show(String ipText) {
    IpAddress ip = parseIp(ipText);
    List<SpiderReservedIP> reservedIps = client.resources(SpiderReservedIP.class).list().getItems();
    List<String> reservedBy = new ArrayList<>();
    for (SpiderReservedIP r : reservedIps) {
      if (ReservedAddresses.of(List.of(r), ip.family()).contains(ip)) {
        reservedBy.add(r.getMetadata().getName());
      }
    }
    List<AddressInfo.InPool> out = new ArrayList<>();
    for (SpiderIPPool p : listPools()) {
      PoolStore.Snapshot snap;
      try {
        snap = KubernetesPoolStore.snapshot(p);
      } catch (InvalidInputException e) {
        continue; // 'spiderpool check' reports unreadable pools
      }
      PoolSpace space = snap.space();
      PoolRecord rec =
          snap.space().subnet().family() == ip.family() ? snap.records().get(ip) : null;
      boolean inRanges = space.ips().family() == ip.family() && space.ips().contains(ip);
      if (rec == null && !inRanges) {
        continue;
      }
      String state;
      if (rec != null) {
        state = inRanges && !space.excluded().contains(ip) ? "allocated" : "outside-ranges";
      } else if (space.excluded().contains(ip)) {
        state = "excluded";
      } else if (!reservedBy.isEmpty()) {
        state = "reserved";
      } else {
        state = "free";
      }
      if (rec == null) {
        out.add(
            new AddressInfo.InPool(p.getMetadata().getName(), state, "", "", "", "", "", "", ""));
        continue;
      }
      String[] nsName = splitPod(rec.pod());
      Pod pod =
          nsName == null ? null : client.pods().inNamespace(nsName[0]).withName(nsName[1]).get();
      String exists =
          pod == null
              ? "no"
              : pod.getMetadata().getUid().equals(rec.podUid()) ? "yes" : "other-uid";
      SpiderEndpoint ep =
          nsName == null
              ? null
              : client
                  .resources(SpiderEndpoint.class)
                  .inNamespace(nsName[0])
                  .withName(nsName[1])
                  .get();
      String node = "";
      String nic = "";
      String endpoint = "";
      String sticky = "";
      if (ep != null && ep.getStatus() != null && ep.getStatus().getCurrent() != null) {
        for (EndpointAddress a : addressesOf(ep)) {
          if (a.pool().equals(p.getMetadata().getName()) && a.ip().equals(ip.toString())) {
            nic = a.nic();
          }
        }
        if (rec.podUid().equals(ep.getStatus().getCurrent().getUid())) {
          endpoint = rec.pod();
          node = nullToEmpty(ep.getStatus().getCurrent().getNode());
          String kind = nullToEmpty(ep.getStatus().getOwnerControllerType());
          if (kind.equals("StatefulSet") || kind.equals("VirtualMachineInstance")) {
            sticky = kind + " " + nullToEmpty(ep.getStatus().getOwnerControllerName());
          }
        } else {
          nic = "";
        }
      }
      if (node.isEmpty() && pod != null && "yes".equals(exists)) {
        node = nullToEmpty(pod.getSpec().getNodeName());
      }
      out.add(
          new AddressInfo.InPool(
              p.getMetadata().getName(),
              state,
              rec.pod(),
              rec.podUid(),
              exists,
              node,
              nic,
              endpoint,
              sticky));
    }
    if (out.isEmpty() && reservedBy.isEmpty()) {
      throw OperatorError.notFound(
          ip
              + " is in no SpiderIPPool's spec.ips, no pool records it and no SpiderReservedIP"
              + " reserves it");
    }
    return new AddressInfo(ip.toString(), out, reservedBy);
  }

  // ---------------------------------------------------------------- release

  /** A release decided on one read; {@link #release(ReleasePlan)} applies it. */
  public record ReleasePlan(
      IpAddress ip, String pool, String pod, String podUid, boolean podLive, boolean listed) {}

  /**
   * Reads who holds {@code ipText} and decides whether it may be released: NOT_FOUND when no pool
   * records it, REFUSED when a live Pod holds it and {@code force} is not given, or when two pools
   * record it (an inconsistency 'spiderpool check' reports).
   */
  public ReleasePlan planRelease(String ipText, boolean force) {
    IpAddress ip = parseIp(ipText);
    List<String> holders = new ArrayList<>();
    PoolRecord rec = null;
    for (SpiderIPPool p : listPools()) {
      PoolRecord r;
      try {
        r = KubernetesPoolStore.snapshot(p).records().get(ip);
      } catch (InvalidInputException e) {
        continue;
      }
      if (r != null) {
        holders.add(p.getMetadata().getName());
        rec = r;
      }
    }
    if (holders.isEmpty()) {
      throw OperatorError.notFound(
          ip + " is not allocated in any SpiderIPPool: nothing to release");
    }
    if (holders.size() > 1) {
      throw OperatorError.refused(
          ip
              + " is recorded in several pools ("
              + String.join(", ", holders)
              + "); run 'spiderpool check' and repair the pools by hand");
    }
    String[] nsName = splitPod(rec.pod());
    Pod pod =
        nsName == null ? null : client.pods().inNamespace(nsName[0]).withName(nsName[1]).get();
    boolean live =
        pod != null
            && pod.getMetadata().getUid().equals(rec.podUid())
            && PodLiveness.alive(
                pod.getMetadata().getDeletionTimestamp() != null,
                pod.getStatus() == null ? null : pod.getStatus().getPhase(),
                pod.getSpec().getRestartPolicy(),
                pod.getStatus() == null ? null : pod.getStatus().getReason());
    if (live && !force) {
      throw OperatorError.refused(
          ip
              + " is held by Pod "
              + rec.pod()
              + " (uid "
              + rec.podUid()
              + "), which is alive: freeing it would let another Pod get an address still in use."
              + " Delete the Pod (its DEL frees the address), or pass --force if you know it no"
              + " longer uses it");
    }
    boolean listed = false;
    if (nsName != null) {
      EndpointRecord ep = endpointStore.get(nsName[0], nsName[1]);
      listed =
          ep != null && ep.uid().equals(rec.podUid()) && entryWith(ep, holders.get(0), ip) >= 0;
    }
    return new ReleasePlan(ip, holders.get(0), rec.pod(), rec.podUid(), live, listed);
  }

  /** What applying {@code plan} would do, without writing. */
  public ReleaseOutcome dryRun(ReleasePlan plan) {
    return new ReleaseOutcome(
        plan.ip().toString(),
        plan.pool(),
        plan.pod(),
        plan.podUid(),
        plan.podLive(),
        true,
        false,
        plan.listed() ? "would-update-or-delete" : "none");
  }

  /**
   * Frees the record if it still names the plan's owner UID (compare-and-set on the pool), then
   * takes the address off the holder's SpiderEndpoint, deleting the endpoint when it lists nothing
   * else and its Pod is not alive. REFUSED when the address was re-assigned after the plan.
   */
  public ReleaseOutcome release(ReleasePlan plan) {
    boolean written = false;
    for (int attempt = 1; attempt <= CAS_ATTEMPTS && !written; attempt++) {
      PoolStore.Snapshot snap = poolStore.read(plan.pool());
      PoolRecord r = snap == null ? null : snap.records().get(plan.ip());
      if (r == null) {
        throw OperatorError.notFound(
            plan.ip() + " was released by someone else since it was read; nothing to do");
      }
      if (!r.podUid().equals(plan.podUid())) {
        throw OperatorError.refused(
            plan.ip()
                + " was re-assigned to "
                + r.pod()
                + " (uid "
                + r.podUid()
                + ") after it was read; nothing freed. Run the command again to decide on the new"
                + " holder");
      }
      try {
        poolStore.writeRecords(
            plan.pool(), snap.resourceVersion(), snap.records().without(plan.ip()));
        written = true;
      } catch (PoolStore.Conflict c) {
        // the pool changed (another address, most likely): read again, check the owner again
      }
    }
    if (!written) {
      throw OperatorError.refused(
          "pool " + plan.pool() + " kept changing (" + CAS_ATTEMPTS + " tries); run again");
    }
    String action = "none";
    String[] nsName = splitPod(plan.pod());
    for (int attempt = 1; nsName != null && attempt <= CAS_ATTEMPTS; attempt++) {
      EndpointRecord ep = endpointStore.get(nsName[0], nsName[1]);
      if (ep == null || !ep.uid().equals(plan.podUid())) {
        break;
      }
      int i = entryWith(ep, plan.pool(), plan.ip());
      if (i < 0) {
        break;
      }
      List<EndpointRecord.Nic> nics = new ArrayList<>(ep.nics());
      EndpointRecord.Nic n = nics.get(i);
      boolean v4 = plan.ip().family() == IpFamily.V4;
      EndpointRecord.Nic rest =
          new EndpointRecord.Nic(
              n.nic(),
              v4 ? null : n.ipv4(),
              v4 ? null : n.ipv4Pool(),
              v4 ? null : n.ipv4Gateway(),
              v4 ? n.ipv6() : null,
              v4 ? n.ipv6Pool() : null,
              v4 ? n.ipv6Gateway() : null,
              n.cleanGateway(),
              n.routes());
      if (rest.ipv4() == null && rest.ipv6() == null) {
        nics.remove(i);
      } else {
        nics.set(i, rest);
      }
      try {
        if (nics.isEmpty() && !plan.podLive()) {
          endpointStore.delete(nsName[0], nsName[1], plan.podUid());
          action = "deleted";
        } else {
          endpointStore.update(
              new EndpointRecord(
                  ep.namespace(),
                  ep.name(),
                  ep.uid(),
                  ep.node(),
                  ep.ownerKind(),
                  ep.ownerName(),
                  nics,
                  ep.stateful(),
                  ep.resourceVersion()));
          action = "address-removed";
        }
        break;
      } catch (PoolStore.Conflict c) {
        // the endpoint changed: read again
      }
    }
    return new ReleaseOutcome(
        plan.ip().toString(),
        plan.pool(),
        plan.pod(),
        plan.podUid(),
        plan.podLive(),
        false,
        true,
        action);
  }

  // ---------------------------------------------------------------- allocate

  /** An allocation decided on one read; {@link #allocate(AllocatePlan)} applies it. */
  public record AllocatePlan(
      String namespace,
      String name,
      String podUid,
      String node,
      TopController owner,
      String interfaceName,
      String pool,
      IpAddress ip,
      AllocateOutcome existing) {}

  /**
   * Decides an allocation for Pod {@code namespace/name} on {@code interfaceName}: from {@code
   * poolName}, or of {@code ipText} (its pool found from spec.ips unless given). Refuses a dead
   * Pod, an interface the Pod already has a different address on, a disabled or terminating pool,
   * and an address that is outside the pool's ranges, excluded, reserved or taken.
   */
  public AllocatePlan planAllocate(
      String namespace, String name, String interfaceName, String poolName, String ipText) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    if (pod == null) {
      throw OperatorError.notFound(
          "no Pod "
              + namespace
              + "/"
              + name
              + ": create the Pod first (its sandbox need not exist yet); the address is recorded"
              + " for its UID");
    }
    String uid = pod.getMetadata().getUid();
    if (!PodLiveness.alive(
        pod.getMetadata().getDeletionTimestamp() != null,
        pod.getStatus() == null ? null : pod.getStatus().getPhase(),
        pod.getSpec().getRestartPolicy(),
        pod.getStatus() == null ? null : pod.getStatus().getReason())) {
      throw OperatorError.refused(
          "Pod " + namespace + "/" + name + " is terminating or finished: it gets no addresses");
    }
    IpAddress wanted = ipText == null ? null : parseIp(ipText);
    EndpointRecord ep = endpointStore.get(namespace, name);
    if (ep != null && !ep.uid().equals(uid)) {
      throw OperatorError.refused(
          "SpiderEndpoint "
              + namespace
              + "/"
              + name
              + " still belongs to an earlier Pod of that name (uid "
              + ep.uid()
              + "); 'spiderpool check --fix' or the GC removes it, then run this again");
    }
    if (ep != null) {
      for (EndpointRecord.Nic n : ep.nics()) {
        if (!n.nic().equals(interfaceName)) {
          continue;
        }
        String held = n.ipv4() != null ? n.ipv4() : n.ipv6();
        String heldPool = n.ipv4() != null ? n.ipv4Pool() : n.ipv6Pool();
        IpAddress heldIp = held == null ? null : Cidr.parsePrefixed(held).address();
        if ((wanted == null || wanted.equals(heldIp))
            && (poolName == null || poolName.equals(heldPool))) {
          return new AllocatePlan(
              namespace,
              name,
              uid,
              ep.node(),
              null,
              interfaceName,
              heldPool,
              heldIp,
              new AllocateOutcome(
                  namespace + "/" + name,
                  uid,
                  interfaceName,
                  heldPool,
                  held,
                  n.ipv4() != null ? n.ipv4Gateway() : n.ipv6Gateway(),
                  true));
        }
        throw OperatorError.refused(
            "Pod "
                + namespace
                + "/"
                + name
                + " already holds "
                + held
                + " from "
                + heldPool
                + " on "
                + interfaceName
                + "; release it first ('spiderpool ip release "
                + (heldIp == null ? "" : heldIp)
                + " --force')");
      }
    }
    List<SpiderIPPool> pools = listPools();
    SpiderIPPool pool;
    if (poolName != null) {
      pool =
          pools.stream()
              .filter(p -> p.getMetadata().getName().equals(poolName))
              .findFirst()
              .orElseThrow(
                  () ->
                      OperatorError.notFound(
                          "no SpiderIPPool "
                              + poolName
                              + "; 'spiderpool pool list' shows the pools there are"));
    } else if (wanted != null) {
      List<SpiderIPPool> having = new ArrayList<>();
      for (SpiderIPPool p : pools) {
        try {
          PoolSpace s = KubernetesPoolStore.snapshot(p).space();
          if (s.ips().family() == wanted.family() && s.ips().contains(wanted)) {
            having.add(p);
          }
        } catch (InvalidInputException e) {
          // an unreadable pool cannot be allocated from
        }
      }
      if (having.isEmpty()) {
        throw OperatorError.notFound(
            "no SpiderIPPool has " + wanted + " in spec.ips; add it to a pool first");
      }
      if (having.size() > 1) {
        throw OperatorError.badRequest(
            wanted
                + " is in the ranges of several pools ("
                + String.join(", ", having.stream().map(p -> p.getMetadata().getName()).toList())
                + "); say which with --pool");
      }
      pool = having.get(0);
    } else {
      throw OperatorError.badRequest("say where the address comes from: --pool POOL or --ip IP");
    }
    String pn = pool.getMetadata().getName();
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      throw OperatorError.refused("SpiderIPPool " + pn + " is being deleted");
    }
    if (Boolean.TRUE.equals(pool.getSpec().getDisable())) {
      throw OperatorError.refused(
          "SpiderIPPool " + pn + " is disabled (spec.disable: true); enable it or pick another");
    }
    PoolSpace space = KubernetesPoolStore.snapshot(pool).space();
    if (wanted != null) {
      checkAllocatable(wanted, pn, space, pools);
    }
    return new AllocatePlan(
        namespace,
        name,
        uid,
        nullToEmpty(pod.getSpec().getNodeName()),
        new KubernetesPodDirectory(client, null).topController(podInfo(pod)),
        interfaceName,
        pn,
        wanted,
        null);
  }

  private void checkAllocatable(
      IpAddress ip, String poolName, PoolSpace space, List<SpiderIPPool> pools) {
    if (space.subnet().family() != ip.family() || !space.ips().contains(ip)) {
      throw OperatorError.refused(
          ip + " is not in spec.ips of SpiderIPPool " + poolName + " " + space.ips().toStrings());
    }
    if (space.excluded().contains(ip)) {
      throw OperatorError.refused(
          ip + " is excluded by spec.excludeIPs of SpiderIPPool " + poolName + "; pick another");
    }
    for (SpiderReservedIP r : client.resources(SpiderReservedIP.class).list().getItems()) {
      if (ReservedAddresses.of(List.of(r), ip.family()).contains(ip)) {
        throw OperatorError.refused(
            ip
                + " is reserved by SpiderReservedIP "
                + r.getMetadata().getName()
                + "; remove it from there first if it should be handed out");
      }
    }
    for (SpiderIPPool p : pools) {
      PoolRecord r;
      try {
        r = KubernetesPoolStore.snapshot(p).records().get(ip);
      } catch (InvalidInputException e) {
        continue;
      }
      if (r != null) {
        throw taken(ip, p.getMetadata().getName(), r);
      }
    }
  }

  private static OperatorError taken(IpAddress ip, String pool, PoolRecord r) {
    return OperatorError.refused(
        ip
            + " is taken: SpiderIPPool "
            + pool
            + " records it for Pod "
            + r.pod()
            + " (uid "
            + r.podUid()
            + "); 'spiderpool ip show "
            + ip
            + "' tells more");
  }

  /**
   * Records the address for the Pod UID (compare-and-set; a named address taken meanwhile is
   * refused) and writes the SpiderEndpoint entry the Pod's CNI ADD then returns
   * (docs/cli.md#spiderpool-ip-allocate). If the endpoint write fails, the record is given back.
   */
  public AllocateOutcome allocate(AllocatePlan plan) {
    if (plan.existing() != null) {
      return plan.existing();
    }
    String podKey = plan.namespace() + "/" + plan.name();
    IpAddress ip = null;
    PoolStore.Snapshot snap = null;
    for (int attempt = 1; attempt <= CAS_ATTEMPTS && ip == null; attempt++) {
      snap = poolStore.read(plan.pool());
      if (snap == null) {
        throw OperatorError.notFound("SpiderIPPool " + plan.pool() + " was deleted meanwhile");
      }
      IpAddress chosen;
      PoolState next;
      if (plan.ip() != null) {
        PoolRecord r = snap.records().get(plan.ip());
        if (r != null && !r.podUid().equals(plan.podUid())) {
          throw taken(plan.ip(), plan.pool(), r);
        }
        chosen = plan.ip();
        next =
            new PoolState(
                plan.pool(),
                snap.space(),
                snap.records().with(chosen, new PoolRecord(podKey, plan.podUid())),
                RangeSet.empty(chosen.family()),
                Integer.MAX_VALUE);
      } else {
        PoolState.Allocated a =
            new PoolState(
                    plan.pool(), snap.space(), snap.records(), reserved(snap), Integer.MAX_VALUE)
                .allocate(podKey, plan.podUid(), Set.of());
        chosen = a.ip();
        next = a.next();
      }
      try {
        poolStore.writeRecords(plan.pool(), snap.resourceVersion(), next.records());
        ip = chosen;
      } catch (PoolStore.Conflict c) {
        // another writer: read again and decide again
      }
    }
    if (ip == null) {
      throw OperatorError.refused(
          "pool " + plan.pool() + " kept changing (" + CAS_ATTEMPTS + " tries); run again");
    }
    SpiderIPPool pool = client.resources(SpiderIPPool.class).withName(plan.pool()).get();
    String gateway = pool == null ? null : pool.getSpec().getGateway();
    String address = ip + "/" + snap.space().subnet().prefix();
    List<AddResult.RouteConfig> routes = new ArrayList<>();
    if (pool != null && pool.getSpec().getRoutes() != null) {
      pool.getSpec()
          .getRoutes()
          .forEach(
              r ->
                  routes.add(
                      new AddResult.RouteConfig(plan.interfaceName(), r.getDst(), r.getGw())));
    }
    boolean v4 = ip.family() == IpFamily.V4;
    EndpointRecord.Nic nic =
        new EndpointRecord.Nic(
            plan.interfaceName(),
            v4 ? address : null,
            v4 ? plan.pool() : null,
            v4 ? gateway : null,
            v4 ? null : address,
            v4 ? null : plan.pool(),
            v4 ? null : gateway,
            false,
            routes);
    boolean stateful =
        "StatefulSet".equals(plan.owner().kind()) && "apps".equals(plan.owner().group());
    try {
      EndpointRecord ep = endpointStore.get(plan.namespace(), plan.name());
      if (ep == null) {
        endpointStore.create(
            new EndpointRecord(
                plan.namespace(),
                plan.name(),
                plan.podUid(),
                plan.node(),
                plan.owner().kind(),
                plan.owner().name(),
                List.of(nic),
                stateful,
                null));
      } else if (ep.uid().equals(plan.podUid())
          && ep.nics().stream().noneMatch(n -> n.nic().equals(plan.interfaceName()))) {
        List<EndpointRecord.Nic> nics = new ArrayList<>(ep.nics());
        nics.add(nic);
        endpointStore.update(
            new EndpointRecord(
                ep.namespace(),
                ep.name(),
                ep.uid(),
                ep.node(),
                ep.ownerKind(),
                ep.ownerName(),
                nics,
                ep.stateful(),
                ep.resourceVersion()));
      } else {
        throw new PoolStore.Conflict("the SpiderEndpoint changed");
      }
    } catch (PoolStore.Conflict | EndpointStore.AlreadyExists e) {
      giveBack(plan.pool(), ip, plan.podUid());
      throw OperatorError.refused(
          "SpiderEndpoint "
              + podKey
              + " changed while the address was being recorded (the Pod's own ADD ran?); "
              + ip
              + " was given back. Run 'spiderpool ip show' on the Pod's addresses, then again");
    }
    return new AllocateOutcome(
        podKey, plan.podUid(), plan.interfaceName(), plan.pool(), address, gateway, false);
  }

  private void giveBack(String pool, IpAddress ip, String uid) {
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      PoolStore.Snapshot snap = poolStore.read(pool);
      PoolRecord r = snap == null ? null : snap.records().get(ip);
      if (r == null || !r.podUid().equals(uid)) {
        return;
      }
      try {
        poolStore.writeRecords(pool, snap.resourceVersion(), snap.records().without(ip));
        return;
      } catch (PoolStore.Conflict c) {
        // read again
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private RangeSet reserved(PoolStore.Snapshot snap) {
    return ReservedAddresses.of(
        client.resources(SpiderReservedIP.class).list().getItems(), snap.space().subnet().family());
  }

  private List<SpiderIPPool> listPools() {
    List<SpiderIPPool> pools =
        new ArrayList<>(client.resources(SpiderIPPool.class).list().getItems());
    pools.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return pools;
  }

  private List<SpiderEndpoint> listEndpoints() {
    return client.resources(SpiderEndpoint.class).inAnyNamespace().list().getItems();
  }

  private static PoolUsage usage(
      SpiderIPPool p, List<SpiderReservedIP> reserved, Map<String, Integer> perNode) {
    PoolStore.Snapshot snap = KubernetesPoolStore.snapshot(p);
    return PoolUsage.of(p, ReservedAddresses.of(reserved, snap.space().subnet().family()), perNode);
  }

  /** One address an endpoint lists. */
  private record EndpointAddress(String pool, String ip, String uid, String node, String nic) {}

  private static List<EndpointAddress> addressesOf(SpiderEndpoint e) {
    List<EndpointAddress> out = new ArrayList<>();
    if (e.getStatus() == null
        || e.getStatus().getCurrent() == null
        || e.getStatus().getCurrent().getIps() == null) {
      return out;
    }
    String uid = nullToEmpty(e.getStatus().getCurrent().getUid());
    String node = nullToEmpty(e.getStatus().getCurrent().getNode());
    for (IPAllocationDetail d : e.getStatus().getCurrent().getIps()) {
      for (String[] a :
          new String[][] {{d.getIpv4Pool(), d.getIpv4()}, {d.getIpv6Pool(), d.getIpv6()}}) {
        if (a[0] != null && a[1] != null) {
          IpAddress ip =
              a[1].contains("/") ? Cidr.parsePrefixed(a[1]).address() : IpAddress.tryParse(a[1]);
          if (ip != null) {
            out.add(
                new EndpointAddress(a[0], ip.toString(), uid, node, nullToEmpty(d.getInterface())));
          }
        }
      }
    }
    return out;
  }

  private static Map<String, EndpointAddress> endpointAddresses(List<SpiderEndpoint> endpoints) {
    Map<String, EndpointAddress> out = new HashMap<>();
    for (SpiderEndpoint e : endpoints) {
      for (EndpointAddress a : addressesOf(e)) {
        out.put(a.pool() + "|" + a.ip(), a);
      }
    }
    return out;
  }

  /** pool → node → records whose endpoint (same UID) names that node; "" for the rest. */
  private static Map<String, Map<String, Integer>> recordsPerNode(
      List<SpiderIPPool> pools, List<SpiderEndpoint> endpoints) {
    Map<String, EndpointAddress> listed = endpointAddresses(endpoints);
    Map<String, Map<String, Integer>> out = new HashMap<>();
    for (SpiderIPPool p : pools) {
      String name = p.getMetadata().getName();
      Map<String, Integer> counts = new TreeMap<>();
      try {
        for (Map.Entry<String, PoolRecord> r :
            KubernetesPoolStore.snapshot(p).records().asMap().entrySet()) {
          EndpointAddress e = listed.get(name + "|" + r.getKey());
          String node = e != null && e.uid().equals(r.getValue().podUid()) ? e.node() : "";
          counts.merge(node, 1, Integer::sum);
        }
      } catch (InvalidInputException e) {
        continue;
      }
      out.put(name, counts);
    }
    return out;
  }

  /** Index of the endpoint entry listing {@code ip} from {@code pool}, or -1. */
  private static int entryWith(EndpointRecord ep, String pool, IpAddress ip) {
    for (int i = 0; i < ep.nics().size(); i++) {
      EndpointRecord.Nic n = ep.nics().get(i);
      if ((pool.equals(n.ipv4Pool())
              && n.ipv4() != null
              && Cidr.parsePrefixed(n.ipv4()).address().equals(ip))
          || (pool.equals(n.ipv6Pool())
              && n.ipv6() != null
              && Cidr.parsePrefixed(n.ipv6()).address().equals(ip))) {
        return i;
      }
    }
    return -1;
  }

  private static PodDirectory.PodInfo podInfo(Pod p) {
    List<PodDirectory.OwnerRef> owners =
        p.getMetadata().getOwnerReferences() == null
            ? List.of()
            : p.getMetadata().getOwnerReferences().stream()
                .map(
                    o ->
                        new PodDirectory.OwnerRef(
                            o.getApiVersion(),
                            o.getKind(),
                            o.getName(),
                            o.getUid(),
                            Boolean.TRUE.equals(o.getController())))
                .toList();
    return new PodDirectory.PodInfo(
        p.getMetadata().getNamespace(),
        p.getMetadata().getName(),
        p.getMetadata().getUid(),
        p.getSpec().getNodeName(),
        Map.of(),
        Map.of(),
        null,
        null,
        null,
        false,
        owners);
  }

  private static String[] splitPod(String pod) {
    int slash = pod.indexOf('/');
    return slash <= 0 ? null : new String[] {pod.substring(0, slash), pod.substring(slash + 1)};
  }

  private static IpAddress parseIp(String text) {
    IpAddress ip = IpAddress.tryParse(text == null ? "" : text.trim());
    if (ip == null) {
      throw OperatorError.badRequest(
          "'" + text + "' is not an IP address (give it without prefix, e.g. 10.6.0.17)");
    }
    return ip;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
