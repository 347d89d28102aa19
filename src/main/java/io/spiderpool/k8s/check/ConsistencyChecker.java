// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.check;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.IPAllocationDetail;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.check.Inconsistency.Kind;
import io.spiderpool.k8s.store.KubernetesEndpointStore;
import io.spiderpool.k8s.store.KubernetesPoolStore;
import io.spiderpool.k8s.subnet.ReservedAddresses;
import io.spiderpool.service.ipam.PoolStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Cross-checks the places an allocation lives, as {@code calicoctl ipam check} does for Calico: the
 * pool records ({@code status.allocatedIPs}), the SpiderEndpoints, the Pods, the SpiderReservedIPs
 * and each pool's own spec and counters (docs/cli.md#spiderpool-check). {@link #check()} only
 * reads; {@link #fix} applies the safe repairs, each guarded so that it never undoes a change made
 * after the check: a record is freed only while it still names the dead Pod's UID (compare-and-set
 * on the pool's resourceVersion), an endpoint is deleted only while it still records that UID, and
 * the Pod is looked up again first.
 *
 * <p>A snapshot across many objects is not atomic: an ADD in flight writes the record a moment
 * before the endpoint, so a record without endpoint may show up and be gone on the next run. The
 * safe fixes only act on Pods that are gone, which an ADD in flight never is.
 */
public final class ConsistencyChecker {
  private static final int CAS_ATTEMPTS = 8;

  private final KubernetesClient client;
  private final Consumer<String> progress;

  public ConsistencyChecker(KubernetesClient client) {
    this(client, s -> {});
  }

  /** With {@code progress} told what is being read (the command line prints it to stderr). */
  public ConsistencyChecker(KubernetesClient client, Consumer<String> progress) {
    this.client = client;
    this.progress = progress;
  }

  /** Reads everything once and reports every inconsistency found. */
  public ConsistencyReport check() {
    progress.accept("reading SpiderIPPools");
    List<SpiderIPPool> pools = client.resources(SpiderIPPool.class).list().getItems();
    progress.accept("reading SpiderEndpoints");
    List<SpiderEndpoint> endpoints =
        client.resources(SpiderEndpoint.class).inAnyNamespace().list().getItems();
    progress.accept("reading SpiderReservedIPs");
    List<SpiderReservedIP> reserved = client.resources(SpiderReservedIP.class).list().getItems();
    Set<String> namespaces = new TreeSet<>();
    for (SpiderEndpoint e : endpoints) {
      namespaces.add(e.getMetadata().getNamespace());
    }
    for (SpiderIPPool p : pools) {
      for (PoolRecord r : recordsOrEmpty(p).asMap().values()) {
        if (r.pod().contains("/")) {
          namespaces.add(r.pod().substring(0, r.pod().indexOf('/')));
        }
      }
    }
    Map<String, String> podUids = new HashMap<>();
    Set<String> statefulSets = new HashSet<>();
    int podCount = 0;
    for (String ns : namespaces) {
      progress.accept("reading Pods of namespace " + ns);
      for (Pod p : client.pods().inNamespace(ns).list().getItems()) {
        podUids.put(ns + "/" + p.getMetadata().getName(), p.getMetadata().getUid());
        podCount++;
      }
      for (StatefulSet s : client.apps().statefulSets().inNamespace(ns).list().getItems()) {
        statefulSets.add(ns + "/" + s.getMetadata().getName());
      }
    }
    return analyze(pools, endpoints, reserved, podUids, statefulSets, podCount);
  }

  /**
   * The analysis alone, on objects already read: {@code podUids} maps {@code ns/name} of every
   * existing Pod to its UID, {@code statefulSets} holds {@code ns/name} of every StatefulSet.
   */
  public static ConsistencyReport analyze(
      List<SpiderIPPool> pools,
      List<SpiderEndpoint> endpoints,
      List<SpiderReservedIP> reservedIps,
      Map<String, String> podUids,
      Set<String> statefulSets,
      int podCount) {
    List<Inconsistency> found = new ArrayList<>();
    Map<IpFamily, RangeSet> reserved = new HashMap<>();
    for (IpFamily f : IpFamily.values()) {
      reserved.put(f, ReservedAddresses.of(reservedIps, f));
    }
    // endpoint addresses: "pool|ip" -> the endpoint's ns/name and UID
    Map<String, String[]> listed = new HashMap<>();
    Map<String, SpiderEndpoint> endpointByPod = new HashMap<>();
    for (SpiderEndpoint e : endpoints) {
      String key = e.getMetadata().getNamespace() + "/" + e.getMetadata().getName();
      endpointByPod.put(key, e);
      for (String[] a : addresses(e)) {
        listed.put(a[0] + "|" + a[1], new String[] {key, uidOf(e)});
      }
    }
    Map<String, List<String>> poolsByIp = new LinkedHashMap<>();
    Map<String, PoolRecords> recordsByPool = new HashMap<>();
    int recordCount = 0;
    for (SpiderIPPool p : pools) {
      String name = p.getMetadata().getName();
      PoolSpace space;
      PoolRecords records;
      try {
        space = space(p.getSpec());
        records = recordsOf(p);
      } catch (InvalidInputException | IllegalArgumentException e) {
        found.add(new Inconsistency(Kind.POOL_UNREADABLE, name, "", "", "", e.getMessage()));
        continue;
      }
      recordsByPool.put(name, records);
      recordCount += records.size();
      counters(p, space, records).ifPresent(found::add);
      for (Map.Entry<String, PoolRecord> r : records.asMap().entrySet()) {
        IpAddress ip = IpAddress.parse(r.getKey());
        PoolRecord rec = r.getValue();
        poolsByIp.computeIfAbsent(ip.toString(), k -> new ArrayList<>()).add(name);
        if (!space.ips().contains(ip)) {
          found.add(
              new Inconsistency(
                  Kind.RECORD_OUTSIDE_RANGES,
                  name,
                  ip.toString(),
                  rec.pod(),
                  rec.podUid(),
                  ip + " is not in spec.ips " + space.ips().toStrings()));
        } else if (space.excluded().contains(ip)) {
          found.add(
              new Inconsistency(
                  Kind.RECORD_OUTSIDE_RANGES,
                  name,
                  ip.toString(),
                  rec.pod(),
                  rec.podUid(),
                  ip + " is in spec.excludeIPs " + space.excluded().toStrings()));
        }
        if (reserved.get(ip.family()).contains(ip)) {
          found.add(
              new Inconsistency(
                  Kind.RESERVED_IP_ALLOCATED,
                  name,
                  ip.toString(),
                  rec.pod(),
                  rec.podUid(),
                  ip + " is reserved by a SpiderReservedIP but recorded for " + rec.pod()));
        }
        String[] ep = listed.get(name + "|" + ip);
        if (ep == null || !ep[0].equals(rec.pod()) || !ep[1].equals(rec.podUid())) {
          found.add(
              new Inconsistency(
                  Kind.RECORD_WITHOUT_ENDPOINT,
                  name,
                  ip.toString(),
                  rec.pod(),
                  rec.podUid(),
                  ep == null
                      ? "no SpiderEndpoint lists " + ip + " from " + name
                      : "the SpiderEndpoint listing it is "
                          + ep[0]
                          + " (uid "
                          + ep[1]
                          + "), not this record's Pod"));
        }
        if (!podUids.containsKey(rec.pod()) || !podUids.get(rec.pod()).equals(rec.podUid())) {
          SpiderEndpoint e = endpointByPod.get(rec.pod());
          if (e == null || !keptForStatefulSet(e, rec.podUid(), statefulSets)) {
            found.add(
                new Inconsistency(
                    Kind.RECORD_OF_DEAD_POD,
                    name,
                    ip.toString(),
                    rec.pod(),
                    rec.podUid(),
                    podUids.containsKey(rec.pod())
                        ? "Pod "
                            + rec.pod()
                            + " now has uid "
                            + podUids.get(rec.pod())
                            + " (re-created)"
                        : "Pod " + rec.pod() + " does not exist"));
          }
        }
      }
    }
    for (Map.Entry<String, List<String>> e : poolsByIp.entrySet()) {
      if (e.getValue().size() > 1) {
        found.add(
            new Inconsistency(
                Kind.ADDRESS_IN_TWO_POOLS,
                String.join(",", e.getValue()),
                e.getKey(),
                "",
                "",
                e.getKey() + " is recorded in pools " + String.join(", ", e.getValue())));
      }
    }
    for (SpiderEndpoint e : endpoints) {
      String key = e.getMetadata().getNamespace() + "/" + e.getMetadata().getName();
      String uid = uidOf(e);
      for (String[] a : addresses(e)) {
        PoolRecords recs = recordsByPool.get(a[0]);
        PoolRecord r = recs == null ? null : recs.get(IpAddress.parse(a[1]));
        if (r == null || !r.podUid().equals(uid)) {
          found.add(
              new Inconsistency(
                  Kind.ENDPOINT_WITHOUT_RECORD,
                  a[0],
                  a[1],
                  key,
                  uid,
                  recs == null
                      ? "pool " + a[0] + " does not exist (or cannot be read)"
                      : r == null
                          ? "pool " + a[0] + " has no record of " + a[1]
                          : "pool "
                              + a[0]
                              + " records "
                              + a[1]
                              + " for "
                              + r.pod()
                              + " (uid "
                              + r.podUid()
                              + ")"));
        }
      }
      boolean podLive = uid.equals(podUids.get(key));
      if (!podLive && !keptForStatefulSet(e, uid, statefulSets)) {
        found.add(
            new Inconsistency(
                Kind.ENDPOINT_OF_DEAD_POD,
                "",
                "",
                key,
                uid,
                podUids.containsKey(key)
                    ? "Pod " + key + " now has uid " + podUids.get(key) + " (re-created)"
                    : "Pod " + key + " does not exist"));
      }
    }
    found.sort(
        Comparator.comparing(Inconsistency::kind)
            .thenComparing(Inconsistency::pool)
            .thenComparing(Inconsistency::ip)
            .thenComparing(Inconsistency::pod));
    return new ConsistencyReport(pools.size(), endpoints.size(), podCount, recordCount, found);
  }

  /**
   * A StatefulSet member's endpoint (no owner reference, owner kind StatefulSet) outlives its Pod
   * so the next incarnation gets the same addresses (docs/spiderpool-compat.md): while its
   * StatefulSet exists, its records are held, not leaked.
   */
  private static boolean keptForStatefulSet(
      SpiderEndpoint e, String uid, Set<String> statefulSets) {
    boolean ownerless =
        e.getMetadata().getOwnerReferences() == null
            || e.getMetadata().getOwnerReferences().isEmpty();
    return ownerless
        && uid.equals(uidOf(e))
        && e.getStatus() != null
        && "StatefulSet".equals(e.getStatus().getOwnerControllerType())
        && statefulSets.contains(
            e.getMetadata().getNamespace() + "/" + e.getStatus().getOwnerControllerName());
  }

  private static Optional<Inconsistency> counters(
      SpiderIPPool p, PoolSpace space, PoolRecords records) {
    SpiderIPPoolStatus s = p.getStatus();
    long allocated = s == null || s.getAllocatedIPCount() == null ? 0 : s.getAllocatedIPCount();
    List<String> wrong = new ArrayList<>();
    if (allocated != records.size()) {
      wrong.add(
          "allocatedIPCount is " + allocated + " but there are " + records.size() + " records");
    }
    if (s != null && s.getTotalIPCount() != null && s.getTotalIPCount() != space.totalIpCount()) {
      wrong.add(
          "totalIPCount is "
              + s.getTotalIPCount()
              + " but spec.ips minus spec.excludeIPs holds "
              + space.totalIpCount());
    }
    return wrong.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new Inconsistency(
                Kind.POOL_COUNTERS_WRONG,
                p.getMetadata().getName(),
                "",
                "",
                "",
                String.join("; ", wrong)));
  }

  /** Each address of an endpoint as {pool, ip without prefix}; entries without a pool skipped. */
  private static List<String[]> addresses(SpiderEndpoint e) {
    List<String[]> out = new ArrayList<>();
    if (e.getStatus() == null
        || e.getStatus().getCurrent() == null
        || e.getStatus().getCurrent().getIps() == null) {
      return out;
    }
    for (IPAllocationDetail d : e.getStatus().getCurrent().getIps()) {
      add(out, d.getIpv4Pool(), d.getIpv4());
      add(out, d.getIpv6Pool(), d.getIpv6());
    }
    return out;
  }

  private static void add(List<String[]> out, String pool, String cidr) {
    if (pool == null || pool.isEmpty() || cidr == null || cidr.isEmpty()) {
      return;
    }
    IpAddress ip =
        cidr.contains("/") ? Cidr.parsePrefixed(cidr).address() : IpAddress.tryParse(cidr);
    if (ip != null) {
      out.add(new String[] {pool, ip.toString()});
    }
  }

  static String uidOf(SpiderEndpoint e) {
    return e.getStatus() == null
            || e.getStatus().getCurrent() == null
            || e.getStatus().getCurrent().getUid() == null
        ? ""
        : e.getStatus().getCurrent().getUid();
  }

  private static PoolSpace space(SpiderIPPoolSpec s) {
    if (s == null) {
      throw new InvalidInputException("the pool has no spec");
    }
    return PoolSpace.of(s.getSubnet(), s.getIps(), s.getExcludeIPs(), null, s.getGateway());
  }

  private static PoolRecords recordsOf(SpiderIPPool p) {
    return PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
  }

  private static PoolRecords recordsOrEmpty(SpiderIPPool p) {
    try {
      return recordsOf(p);
    } catch (InvalidInputException e) {
      return PoolRecords.empty();
    }
  }

  /**
   * Applies the safe repairs for the inconsistencies of {@code report} whose kind has {@link
   * Kind#safeFix()}: records of dead Pods are freed, endpoints of dead Pods deleted (with their
   * records), then the counters of every pool touched or reported are recomputed. Each repair says
   * what it did or why it did nothing.
   */
  public List<Repair> fix(ConsistencyReport report) {
    List<Repair> out = new ArrayList<>();
    KubernetesPoolStore poolStore = new KubernetesPoolStore(client);
    KubernetesEndpointStore endpointStore = new KubernetesEndpointStore(client);
    for (Inconsistency i : report.of(Kind.RECORD_OF_DEAD_POD)) {
      out.add(freeRecord(poolStore, i));
    }
    for (Inconsistency i : report.of(Kind.ENDPOINT_OF_DEAD_POD)) {
      out.add(deleteEndpoint(poolStore, endpointStore, i));
    }
    for (Inconsistency i : report.of(Kind.POOL_COUNTERS_WRONG)) {
      out.add(recount(i));
    }
    return out;
  }

  /** Whether the Pod {@code ns/name} exists now with {@code uid}. */
  private boolean podIsNow(String pod, String uid) {
    int slash = pod.indexOf('/');
    if (slash < 0) {
      return false;
    }
    Pod p =
        client.pods().inNamespace(pod.substring(0, slash)).withName(pod.substring(slash + 1)).get();
    return p != null && uid.equals(p.getMetadata().getUid());
  }

  private Repair freeRecord(PoolStore store, Inconsistency i) {
    if (podIsNow(i.pod(), i.podUid())) {
      return new Repair(i, false, "left alone: Pod " + i.pod() + " exists with that uid now");
    }
    IpAddress ip = IpAddress.parse(i.ip());
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      PoolStore.Snapshot snap = store.read(i.pool());
      PoolRecord r = snap == null ? null : snap.records().get(ip);
      if (r == null || !r.podUid().equals(i.podUid())) {
        return new Repair(
            i, false, "left alone: " + i.ip() + " is no longer recorded for uid " + i.podUid());
      }
      try {
        store.writeRecords(i.pool(), snap.resourceVersion(), snap.records().without(ip));
        return new Repair(
            i,
            true,
            "freed "
                + i.ip()
                + " in "
                + i.pool()
                + " (was "
                + i.pod()
                + ", uid "
                + i.podUid()
                + ")");
      } catch (PoolStore.Conflict c) {
        // someone wrote the pool meanwhile: read again and decide again
      }
    }
    return new Repair(i, false, "not done: pool " + i.pool() + " kept changing; run again");
  }

  private Repair deleteEndpoint(
      PoolStore pools, KubernetesEndpointStore endpoints, Inconsistency i) {
    if (podIsNow(i.pod(), i.podUid())) {
      return new Repair(i, false, "left alone: Pod " + i.pod() + " exists with that uid now");
    }
    int slash = i.pod().indexOf('/');
    String ns = i.pod().substring(0, slash);
    String name = i.pod().substring(slash + 1);
    SpiderEndpoint e = client.resources(SpiderEndpoint.class).inNamespace(ns).withName(name).get();
    if (e == null || !uidOf(e).equals(i.podUid())) {
      return new Repair(i, false, "left alone: the endpoint no longer records uid " + i.podUid());
    }
    List<String> freed = new ArrayList<>();
    for (String[] a : addresses(e)) {
      Repair r =
          freeRecord(
              pools,
              new Inconsistency(Kind.RECORD_OF_DEAD_POD, a[0], a[1], i.pod(), i.podUid(), ""));
      if (r.applied()) {
        freed.add(a[1] + " in " + a[0]);
      }
    }
    boolean deleted = endpoints.delete(ns, name, i.podUid());
    return new Repair(
        i,
        deleted || !freed.isEmpty(),
        (deleted
                ? "deleted SpiderEndpoint " + i.pod()
                : "SpiderEndpoint " + i.pod() + " already gone")
            + (freed.isEmpty() ? "" : "; freed " + String.join(", ", freed)));
  }

  private Repair recount(Inconsistency i) {
    var res = client.resources(SpiderIPPool.class).withName(i.pool());
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      SpiderIPPool p = res.get();
      if (p == null) {
        return new Repair(i, false, "left alone: pool " + i.pool() + " is gone");
      }
      PoolSpace space;
      PoolRecords records;
      try {
        space = space(p.getSpec());
        records = recordsOf(p);
      } catch (InvalidInputException e) {
        return new Repair(i, false, "not done: " + e.getMessage());
      }
      if (counters(p, space, records).isEmpty()) {
        return new Repair(i, false, "left alone: the counters are right now");
      }
      if (p.getStatus() == null) {
        p.setStatus(new SpiderIPPoolStatus());
      }
      p.getStatus().setAllocatedIPCount((long) records.size());
      p.getStatus().setTotalIPCount(space.totalIpCount());
      try {
        client.resource(p).updateStatus(); // carries the read's resourceVersion: 409 if stale
        return new Repair(
            i,
            true,
            "set allocatedIPCount="
                + records.size()
                + " totalIPCount="
                + space.totalIpCount()
                + " on "
                + i.pool());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    return new Repair(i, false, "not done: pool " + i.pool() + " kept changing; run again");
  }
}
