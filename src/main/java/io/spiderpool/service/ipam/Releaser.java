// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.ReleaseForbiddenException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.pool.TopController;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * Release (docs/spiderpool-compat.md#release) and the hand-over of a StatefulSet Pod's addresses to
 * its re-created incarnation. Every pool change names the owner UID it expects, so an address that
 * meanwhile belongs to someone else is never freed.
 */
final class Releaser {
  private final PoolCommitter committer;
  private final PodDirectory directory;
  private final EndpointStore endpoints;
  private final boolean releaseConflictIpsEnabled;

  Releaser(
      PoolCommitter committer,
      PodDirectory directory,
      EndpointStore endpoints,
      boolean releaseConflictIpsEnabled) {
    this.committer = committer;
    this.directory = directory;
    this.endpoints = endpoints;
    this.releaseConflictIpsEnabled = releaseConflictIpsEnabled;
  }

  /**
   * A DEL frees only what the Pod UID it carries owns. The UID is the request's; only a request
   * without one (some runtimes send none) falls back to the Pod's current UID, as Spiderpool's
   * release does. Spiderpool lets the live Pod's UID override the request's, so the runtime's late
   * DEL of a force-deleted Pod's old container frees the re-created Pod's addresses; here that DEL
   * finds an endpoint of another incarnation and changes nothing.
   */
  void release(ReleaseRequest req, Predicate<TopController> stateful) {
    PodDirectory.PodInfo pod = directory.pod(req.podNamespace(), req.podName());
    boolean carriesUid = req.podUid() != null && !req.podUid().isEmpty();
    String uid = carriesUid ? req.podUid() : pod != null ? pod.uid() : null;
    boolean current = pod != null && pod.uid().equals(uid);
    if (req.releaseConflictIps()) {
      if (!releaseConflictIpsEnabled) {
        throw new ReleaseForbiddenException(
            521,
            "forbid releasing IPs for stateless workload: releasing"
                + " conflicting IPs is disabled (SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS=false)");
      }
      if (pod != null && stateful.test(directory.topController(pod))) {
        throw new ReleaseForbiddenException(
            522,
            "forbid releasing IPs for stateful workload " + pod.namespace() + "/" + pod.name());
      }
    } else if (current && pod.alive()) {
      return; // a DEL for a sandbox being re-created: the Pod keeps its addresses
    }
    if (uid == null) {
      return; // the Pod is gone and the runtime did not say which one: the GC decides
    }
    EndpointRecord ep = endpoints.get(req.podNamespace(), req.podName());
    if (ep == null || !ep.uid().equals(uid)) {
      return; // nothing recorded for this incarnation (any more)
    }
    if (ep.stateful()
        && !req.releaseConflictIps()
        && directory.isStatefulSetMember(ep.namespace(), ep.name(), ep.ownerName())) {
      return; // a StatefulSet member keeps its addresses for its next incarnation
    }
    releaseEndpoint(ep);
  }

  int releaseOrphans(String node) {
    int released = 0;
    List<String> errors = new ArrayList<>();
    for (EndpointRecord ep : endpoints.listOnNode(node)) {
      PodDirectory.PodInfo pod = directory.pod(ep.namespace(), ep.name());
      boolean live = pod != null && pod.uid().equals(ep.uid()) && pod.alive();
      boolean member =
          ep.stateful() && directory.isStatefulSetMember(ep.namespace(), ep.name(), ep.ownerName());
      if (live || member) {
        continue;
      }
      try {
        releaseEndpoint(ep);
        released++;
      } catch (RuntimeException e) {
        errors.add(ep.namespace() + "/" + ep.name() + ": " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new TransientException(
          "could not release "
              + errors.size()
              + " orphaned endpoints: "
              + String.join("; ", errors));
    }
    return released;
  }

  /**
   * Frees every address the endpoint records (owned by its UID), then drops the endpoint if it
   * still belongs to that UID (a re-created Pod may have replaced it meanwhile).
   */
  void releaseEndpoint(EndpointRecord ep) {
    List<CompletableFuture<Object>> pending = new ArrayList<>();
    forEachAddress(
        ep,
        (pool, ip) ->
            pending.add(
                committer.submit(
                    pool,
                    state -> new PoolCommitter.Applied<>(null, state.release(ip, ep.uid())))));
    awaitAll(pending, "release the addresses of " + ep.namespace() + "/" + ep.name());
    endpoints.delete(ep.namespace(), ep.name(), ep.uid());
  }

  /**
   * Static retrieval for a re-created StatefulSet Pod: when the endpoint has an entry for the NIC,
   * every recorded address is re-owned by the new UID (records that vanished are re-created —
   * Spiderpool skips them, which can hand one address to two Pods) and the endpoint follows.
   * Returns null when there is nothing to take over, after dropping the old records.
   */
  EndpointRecord reown(EndpointRecord ep, PodDirectory.PodInfo pod, String nic) {
    if (ep.entryFor(nic) == null) {
      releaseEndpoint(ep);
      return null;
    }
    String podKey = pod.namespace() + "/" + pod.name();
    List<CompletableFuture<Object>> pending = new ArrayList<>();
    forEachAddress(
        ep,
        (pool, ip) ->
            pending.add(
                committer.submit(
                    pool,
                    state ->
                        new PoolCommitter.Applied<>(null, state.reown(ip, podKey, pod.uid())))));
    awaitAll(pending, "hand the addresses of " + podKey + " to its new incarnation");
    EndpointRecord moved = ep.ownedBy(pod.uid(), pod.nodeName());
    if (ep.nics().stream().noneMatch(n -> n.nic().equals(nic))) {
      moved = moved.claimUnnamed(nic);
    }
    try {
      return endpoints.update(moved);
    } catch (PoolStore.Conflict e) {
      throw new TransientException("SpiderEndpoint " + podKey + " changed concurrently, retry");
    }
  }

  private interface AddressVisitor {
    void visit(String pool, IpAddress ip);
  }

  private static void forEachAddress(EndpointRecord ep, AddressVisitor v) {
    for (EndpointRecord.Nic n : ep.nics()) {
      if (n.ipv4() != null && n.ipv4Pool() != null) {
        v.visit(n.ipv4Pool(), Cidr.parsePrefixed(n.ipv4()).address());
      }
      if (n.ipv6() != null && n.ipv6Pool() != null) {
        v.visit(n.ipv6Pool(), Cidr.parsePrefixed(n.ipv6()).address());
      }
    }
  }

  private static void awaitAll(List<CompletableFuture<Object>> pending, String what) {
    List<String> errors = new ArrayList<>();
    for (CompletableFuture<Object> f : pending) {
      try {
        f.join();
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof InvalidInputException)) {
          errors.add(
              e.getCause().getMessage()); // a pool that no longer exists holds nothing to free
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new TransientException("could not " + what + ": " + String.join("; ", errors));
    }
  }
}
