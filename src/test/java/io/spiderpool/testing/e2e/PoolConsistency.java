// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.k8s.api.IPAllocationDetail;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cross-checks the three places an allocation shows up, in both directions (the whereabouts e2e
 * "pool consistency" idea): the addresses Pods actually got (CNI results / netns), the pool records
 * ({@code status.allocatedIPs}) and the SpiderEndpoints. Reads everything fresh from the API server
 * and returns every violation found, so one failure shows the whole picture.
 */
public final class PoolConsistency {
  private final KubernetesClient client;

  /** A checker reading through {@code client}. */
  public PoolConsistency(KubernetesClient client) {
    this.client = client;
  }

  /** One pool record: address, owning Pod {@code ns/name} and UID. */
  public record PoolRecord(String pool, String ip, String pod, String podUid) {}

  /** One address a Pod is known to hold: as seen in its namespace or CNI result. */
  public record Observed(String namespace, String pod, String uid, String ip) {}

  /** The records of {@code pool}, keyed by address; empty when the pool has none. */
  public Map<String, PoolRecord> records(String pool) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    if (p == null) {
      throw new IllegalStateException("no SpiderIPPool " + pool);
    }
    return parseRecords(pool, p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
  }

  /** Parses Spiderpool's {@code allocatedIPs} JSON string. */
  public static Map<String, PoolRecord> parseRecords(String pool, String allocatedIps) {
    Map<String, PoolRecord> out = new TreeMap<>();
    if (allocatedIps == null || allocatedIps.isBlank()) {
      return out;
    }
    JsonNode n = NetConf.parse(allocatedIps);
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(
          e.getKey(),
          new PoolRecord(
              pool,
              e.getKey(),
              e.getValue().path("pod").asText(),
              e.getValue().path("podUid").asText()));
    }
    return out;
  }

  /**
   * Violations among {@code pools} and the endpoints of {@code namespaces}, and against {@code
   * observed} (may be empty): an empty list means consistent.
   *
   * <ul>
   *   <li>an address recorded twice (in two pools) is held twice;
   *   <li>{@code allocatedIPCount} equals the number of records;
   *   <li>every record belongs to an endpoint of the same Pod and UID that lists the address from
   *       that pool, and every endpoint address has such a record;
   *   <li>every observed address has a record of that Pod and UID, and every record of an observed
   *       Pod is observed.
   * </ul>
   */
  public List<String> violations(
      Collection<String> pools, Collection<String> namespaces, Collection<Observed> observed) {
    List<String> bad = new ArrayList<>();
    Map<String, PoolRecord> byIp = new HashMap<>();
    for (String pool : pools) {
      SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
      Map<String, PoolRecord> recs =
          parseRecords(pool, p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
      long count =
          p.getStatus() == null || p.getStatus().getAllocatedIPCount() == null
              ? 0
              : p.getStatus().getAllocatedIPCount();
      if (count != recs.size()) {
        bad.add(
            "pool " + pool + ": allocatedIPCount " + count + " but " + recs.size() + " records");
      }
      for (PoolRecord r : recs.values()) {
        PoolRecord prev = byIp.put(bare(r.ip()), r);
        if (prev != null) {
          bad.add("address " + r.ip() + " held twice: " + prev + " and " + r);
        }
      }
    }
    Map<String, SpiderEndpoint> endpoints = new HashMap<>();
    for (String ns : namespaces) {
      for (SpiderEndpoint e :
          client.resources(SpiderEndpoint.class).inNamespace(ns).list().getItems()) {
        endpoints.put(ns + "/" + e.getMetadata().getName(), e);
      }
    }
    Map<String, String> endpointIps = new HashMap<>(); // ip -> "ns/name uid pool"
    for (Map.Entry<String, SpiderEndpoint> e : endpoints.entrySet()) {
      SpiderEndpoint ep = e.getValue();
      if (ep.getStatus() == null
          || ep.getStatus().getCurrent() == null
          || ep.getStatus().getCurrent().getIps() == null) {
        continue;
      }
      String uid = ep.getStatus().getCurrent().getUid();
      for (IPAllocationDetail d : ep.getStatus().getCurrent().getIps()) {
        checkEndpointIp(
            bad, byIp, pools, endpointIps, e.getKey(), uid, d.getIpv4(), d.getIpv4Pool());
        checkEndpointIp(
            bad, byIp, pools, endpointIps, e.getKey(), uid, d.getIpv6(), d.getIpv6Pool());
      }
    }
    Set<String> namespaceSet = Set.copyOf(namespaces);
    for (PoolRecord r : byIp.values()) {
      String ns = r.pod().contains("/") ? r.pod().substring(0, r.pod().indexOf('/')) : "";
      if (namespaceSet.contains(ns) && !endpointIps.containsKey(bare(r.ip()))) {
        bad.add("record " + r + " has no SpiderEndpoint listing it");
      }
    }
    Map<String, List<String>> observedByPod = new HashMap<>();
    for (Observed o : observed) {
      String key = o.namespace() + "/" + o.pod();
      observedByPod.computeIfAbsent(key, k -> new ArrayList<>()).add(bare(o.ip()));
      PoolRecord r = byIp.get(bare(o.ip()));
      if (r == null) {
        bad.add("Pod " + key + " has " + o.ip() + " but no pool records it");
      } else if (!r.pod().equals(key) || !r.podUid().equals(o.uid())) {
        bad.add(
            "Pod " + key + " (uid " + o.uid() + ") has " + o.ip() + " but the record says " + r);
      }
    }
    for (PoolRecord r : byIp.values()) {
      List<String> seen = observedByPod.get(r.pod());
      if (seen != null && !seen.contains(bare(r.ip()))) {
        bad.add("record " + r + " but the Pod does not have that address");
      }
    }
    return bad;
  }

  private static void checkEndpointIp(
      List<String> bad,
      Map<String, PoolRecord> byIp,
      Collection<String> pools,
      Map<String, String> endpointIps,
      String pod,
      String uid,
      String cidr,
      String pool) {
    if (cidr == null || cidr.isEmpty()) {
      return;
    }
    String ip = bare(cidr);
    String prev = endpointIps.put(ip, pod);
    if (prev != null && !prev.equals(pod)) {
      bad.add("address " + ip + " in two endpoints: " + prev + " and " + pod);
    }
    if (!pools.contains(pool)) {
      return;
    }
    PoolRecord r = byIp.get(ip);
    if (r == null) {
      bad.add(
          "endpoint " + pod + " lists " + cidr + " from " + pool + " but the pool has no record");
    } else if (!r.pool().equals(pool) || !r.pod().equals(pod) || !r.podUid().equals(uid)) {
      bad.add(
          "endpoint "
              + pod
              + " (uid "
              + uid
              + ") lists "
              + cidr
              + " from "
              + pool
              + " but the record is "
              + r);
    }
  }

  /** {@code 10.1.0.5/24} -> {@code 10.1.0.5}. */
  static String bare(String ip) {
    int slash = ip.indexOf('/');
    return slash < 0 ? ip : ip.substring(0, slash);
  }
}
