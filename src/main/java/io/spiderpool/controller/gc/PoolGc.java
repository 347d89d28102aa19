// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.gc.EndpointFacts;
import io.spiderpool.core.gc.PodFacts;
import io.spiderpool.core.gc.RecordGc;
import io.spiderpool.core.gc.Verdict;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.port.ControllerMetrics;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.store.KubernetesIpam;
import io.spiderpool.k8s.store.KubernetesPoolStore;
import io.spiderpool.service.ipam.PoolCommitter;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * IP GC of one pool: every record is judged on the informer caches; a record judged leaked is
 * judged again on a fresh read of its Pod and endpoint (a cache that has not seen a new Pod yet
 * must not free its address), then all confirmed releases are written at once through the {@link
 * PoolCommitter} — a compare-and-set on the pool's status that removes a record only while it still
 * carries the UID the decision was about. Endpoints of released records are then unfinalized and
 * deleted.
 */
final class PoolGc {
  private static final Logger LOG = Logger.getLogger(PoolGc.class.getName());

  private final RecordGc rules;
  private final ClusterFacts fresh;
  private final PoolCommitter committer;
  private final EndpointJanitor janitor;
  private final ControllerMetrics metrics;

  PoolGc(KubernetesClient client, TermGate gate, RecordGc rules, ClusterFacts fresh) {
    this(client, gate, rules, fresh, ControllerMetrics.NOOP, name -> null);
  }

  /**
   * Counting releases, failed releases and conflicts in {@code metrics} (docs/metrics.md); the
   * release is first computed on the pool as {@code cached} (the role's watch cache) has it, which
   * spares a GET of the whole pool per pass: the write is a compare-and-set, a stale copy loses it
   * and the next attempt reads fresh.
   */
  PoolGc(
      KubernetesClient client,
      TermGate gate,
      RecordGc rules,
      ClusterFacts fresh,
      ControllerMetrics metrics,
      Function<String, SpiderIPPool> cached) {
    this.rules = rules;
    this.metrics = metrics;
    this.fresh = fresh;
    this.committer =
        new PoolCommitter(
            new FencedPoolStore(new KubernetesPoolStore(client, cached), gate),
            snap -> RangeSet.empty(snap.space().subnet().family()),
            Integer.MAX_VALUE,
            KubernetesIpam.WRITE_BUDGET,
            new IpamMetrics() {
              @Override
              public void poolUpdateConflict(boolean allocation) {
                metrics.gcConflict();
              }
            });
    this.janitor = new EndpointJanitor(client, gate);
  }

  private static final int LOGGED_RECORDS = 10;

  /** Releases the pool's leaked records; returns the earliest grace-period end seen, or null. */
  Instant collect(SpiderIPPool pool, ClusterFacts cached, Instant now) {
    String name = pool.getMetadata().getName();
    PoolRecords records =
        PoolRecords.parse(pool.getStatus() == null ? null : pool.getStatus().getAllocatedIPs());
    // first look, on the caches: which records seem leaked
    Map<String, Verdict> onCache = new LinkedHashMap<>();
    Map<String, Holder> suspects = new LinkedHashMap<>();
    for (Map.Entry<String, PoolRecord> e : records.asMap().entrySet()) {
      PoolRecord r = e.getValue();
      Holder h = Holder.of(r);
      if (h == null) {
        continue;
      }
      Verdict v = decide(r, h, cached, now);
      onCache.put(e.getKey(), v);
      if (v.released()) {
        suspects.putIfAbsent(r.pod(), h);
      }
    }
    Map<String, Owner> confirmed = confirm(suspects);
    Map<IpAddress, String> releases = new LinkedHashMap<>();
    Map<Holder, SpiderEndpoint> endpointsToDelete = new LinkedHashMap<>();
    Map<IpAddress, String> why = new LinkedHashMap<>();
    Instant next = null;
    for (Map.Entry<String, Verdict> e : onCache.entrySet()) {
      PoolRecord r = records.asMap().get(e.getKey());
      Verdict v = e.getValue();
      if (v.released()) {
        Owner o = confirmed.get(r.pod());
        v = rules.decide(r.podUid(), o.pod(), o.endpoint(), now);
        if (v.released()) {
          IpAddress ip = IpAddress.parse(e.getKey());
          releases.put(ip, r.podUid());
          why.put(ip, e.getKey() + " of " + r.pod() + " (" + r.podUid() + "): " + v.reason());
          if (v.deleteEndpoint() && o.endpoint() != null) {
            endpointsToDelete.put(Holder.of(r), o.read());
          }
        }
      }
      if (v.action() == Verdict.Action.KEEP_UNTIL && (next == null || v.until().isBefore(next))) {
        next = v.until();
      }
    }
    if (!releases.isEmpty()) {
      Set<IpAddress> removed = release(name, releases);
      // a pass judged on a pool copy from before an earlier pass's write (the watch had not
      // delivered it yet) sets out to free records that are gone already: only the records this
      // write removed are reported
      List<String> done =
          why.entrySet().stream()
              .filter(w -> removed.contains(w.getKey()))
              .map(Map.Entry::getValue)
              .toList();
      if (!done.isEmpty()) {
        // name every address when few, else the first ones: one line per reconcile, never a wall
        String listed =
            done.size() <= LOGGED_RECORDS
                ? String.join("; ", done)
                : String.join("; ", done.subList(0, LOGGED_RECORDS))
                    + "; and "
                    + (done.size() - LOGGED_RECORDS)
                    + " more";
        LOG.info(
            () ->
                "SpiderIPPool "
                    + name
                    + ": released "
                    + done.size()
                    + " leaked records: "
                    + listed);
      }
    }
    // in the background: the pool's next pass does not wait for them
    endpointsToDelete.forEach((h, read) -> janitor.deleteLater(h.namespace(), h.name(), read));
    return next;
  }

  /**
   * Each suspect's Pod and endpoint read fresh: a cache that has not seen a new Pod yet must never
   * free its address. A namespace with {@link #BATCH} suspects or more is read with one LIST of its
   * Pods and one of its endpoints (as consistent as a GET each, and served by the API server's
   * watch cache) when it holds at most {@link #LIST_PER_SUSPECT} times as many objects; otherwise,
   * and for the few suspects of other namespaces, one GET each. A burst of a hundred deletions thus
   * costs two reads instead of two hundred (docs/gc.md, "Latency"). The reads go several at a time.
   */
  private Map<String, Owner> confirm(Map<String, Holder> suspects) {
    Map<String, Integer> perNamespace = new LinkedHashMap<>();
    suspects.values().forEach(h -> perNamespace.merge(h.namespace(), 1, Integer::sum));
    Map<Listing, Listing> listings = new LinkedHashMap<>();
    perNamespace.forEach(
        (ns, n) -> {
          if (n >= BATCH) {
            int most = n * LIST_PER_SUSPECT;
            listings.put(new Listing(ns, true, most), new Listing(ns, true, most));
            listings.put(new Listing(ns, false, most), new Listing(ns, false, most));
          }
        });
    ClusterFacts.Lookup api = fresh.lookup();
    Map<Listing, Map<String, ? extends HasMetadata>> lists =
        Parallel.map(
            listings,
            l ->
                l.pods()
                    ? api.pods(l.namespace(), l.most())
                    : api.endpoints(l.namespace(), l.most()));
    Map<String, ClusterFacts> views = new LinkedHashMap<>();
    perNamespace.forEach(
        (ns, n) -> {
          if (n >= BATCH) {
            @SuppressWarnings("unchecked")
            Map<String, Pod> pods =
                (Map<String, Pod>) lists.get(new Listing(ns, true, n * LIST_PER_SUSPECT));
            @SuppressWarnings("unchecked")
            Map<String, SpiderEndpoint> endpoints =
                (Map<String, SpiderEndpoint>)
                    lists.get(new Listing(ns, false, n * LIST_PER_SUSPECT));
            views.put(ns, fresh.over(ClusterFacts.listed(api, pods, endpoints)));
          }
        });
    return Parallel.map(
        suspects,
        h -> {
          ClusterFacts facts = views.getOrDefault(h.namespace(), fresh);
          SpiderEndpoint e = facts.lookup().endpoint(h.namespace(), h.name());
          return new Owner(
              facts.pod(h.namespace(), h.name()), facts.endpoint(h.namespace(), h.name(), e), e);
        });
  }

  /**
   * Suspects of one namespace from which its Pods and endpoints are listed, not read one by one.
   */
  static final int BATCH = 4;

  /** How many objects a namespace may hold per suspect for a LIST to be cheaper than the GETs. */
  static final int LIST_PER_SUSPECT = 16;

  private record Listing(String namespace, boolean pods, int most) {}

  /**
   * An endpoint the role's caches show without its Pod. The pool passes reach an endpoint only
   * through a record of its Pod, so one with no record left is never cleaned up there: an agent's
   * create that landed after the GC had already freed its Pod's addresses (the create timed out,
   * the API server stored it later), or a clean-up the end of a term cut off. Decided in the
   * background on fresh reads, by the rules a record of that Pod would be: the Pod gone and the
   * endpoint not a valid StatefulSet member's. Then deleted like the endpoint of a released record.
   */
  void collectEndpoint(String namespace, String name) {
    janitor.decideLater(
        namespace,
        name,
        () -> {
          SpiderEndpoint e = fresh.lookup().endpoint(namespace, name);
          EndpointFacts facts = fresh.endpoint(namespace, name, e);
          if (facts == null || fresh.pod(namespace, name) != null) {
            return null;
          }
          Verdict v = rules.decide(facts.uid(), null, facts, Instant.now());
          if (!v.released() || !v.deleteEndpoint()) {
            return null;
          }
          LOG.info(
              () ->
                  "SpiderEndpoint "
                      + namespace
                      + "/"
                      + name
                      + " ("
                      + facts.uid()
                      + "): "
                      + v.reason()
                      + ", endpoint found on its own; deleting it");
          return e;
        });
  }

  /** Waits until the endpoint clean-ups of the passes so far have ended. */
  void awaitEndpoints() {
    janitor.drain();
  }

  /**
   * Whether the rules simply keep {@code r} judged on the caches: no release and no grace deadline
   * to come back for. Records no agent wrote are kept (the GC never frees them).
   */
  boolean keptOnCache(PoolRecord r, ClusterFacts cached, Instant now) {
    Holder h = Holder.of(r);
    return h == null || decide(r, h, cached, now).action() == Verdict.Action.KEEP;
  }

  private Verdict decide(PoolRecord r, Holder h, ClusterFacts facts, Instant now) {
    return rules.decide(
        r.podUid(),
        facts.pod(h.namespace(), h.name()),
        facts.endpoint(h.namespace(), h.name()),
        now);
  }

  /**
   * The Pod a record names, when an agent wrote it ({@code ns/name} and a UID); else nothing tells
   * whose it is.
   */
  record Holder(String namespace, String name) {
    static Holder of(PoolRecord r) {
      int slash = r.pod().indexOf('/');
      if (slash <= 0 || r.podUid().isEmpty()) {
        return null;
      }
      return new Holder(r.pod().substring(0, slash), r.pod().substring(slash + 1));
    }
  }

  /**
   * Writes the releases; returns the addresses the write removed — a record the pool no longer
   * holds, or holds for another UID, is left alone and not returned. Each removed record is counted
   * as a GC release; when the write fails, every record set out to be released is counted, and as a
   * failure — except when the role was lost first (fenced): then nothing was written, nor refused.
   */
  private Set<IpAddress> release(String pool, Map<IpAddress, String> releases) {
    Set<IpAddress> removed;
    try {
      removed =
          committer
              .submit(
                  pool,
                  state -> {
                    PoolState s = state;
                    Set<IpAddress> gone = new HashSet<>();
                    for (Map.Entry<IpAddress, String> r : releases.entrySet()) {
                      PoolState next = s.release(r.getKey(), r.getValue());
                      if (next != s) {
                        gone.add(r.getKey());
                      }
                      s = next;
                    }
                    return new PoolCommitter.Applied<>(gone, s);
                  })
              .join();
    } catch (CompletionException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof TermGate.Fenced f) {
          throw f;
        }
      }
      metrics.gcReleasing(releases.size());
      metrics.gcReleaseFailed(releases.size());
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
    metrics.gcReleasing(removed.size());
    return removed;
  }

  /** A suspect's Pod and endpoint as read fresh; {@code read} is the endpoint object itself. */
  private record Owner(PodFacts pod, EndpointFacts endpoint, SpiderEndpoint read) {}
}
