// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.OutcomeUnknownException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.CandidateSource;
import io.spiderpool.core.pool.NicCandidates;
import io.spiderpool.core.pool.PoolSelection;
import io.spiderpool.core.pool.TopController;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allocation engine behind the agent API (docs/architecture.md). Paths, in Spiderpool's order
 * (docs/spiderpool-compat.md#choosing-the-add-path): the Pod's endpoint already holds this NIC →
 * return it (idempotent ADD, no write); a re-created StatefulSet Pod → take its recorded addresses
 * over; a stale endpoint of an earlier Pod of the same name → release and drop it; otherwise
 * standard allocation.
 *
 * <p>The common case, a Pod's first ADD, reads no endpoint: when no endpoint is expected (not a
 * StatefulSet member, and this daemon has not written one for the name lately) the addresses are
 * taken and the endpoint created straight away; a create that finds an endpoint already there gives
 * back the addresses it newly took — never ones the Pod UID already held, which an existing
 * endpoint may name — and the ADD takes the path above. Operations on one Pod name run one at a
 * time in this daemon, so two ADDs (or an ADD and a DEL) of one Pod never interleave.
 */
public final class IpamEngine implements IpamService {
  private final PodDirectory directory;
  private final EndpointStore endpoints;
  private final ClusterConfig config;
  private final Allocator allocator;
  private final Releaser releaser;
  private final KeyedLocks podLocks = new KeyedLocks();

  /**
   * Pod names ({@code ns/name}) this daemon wrote an endpoint for lately: an ADD for them reads it
   * first.
   */
  private final Set<String> endpointWritten =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<String, Boolean>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > RECENT_ENDPOINTS;
                }
              }));

  private static final int RECENT_ENDPOINTS = 8192;

  public IpamEngine(
      PoolCommitter committer,
      PoolDirectory pools,
      PodDirectory directory,
      EndpointStore endpoints,
      EngineSettings settings) {
    this(committer, pools, directory, endpoints, settings, AutoPools.UNSUPPORTED);
  }

  /** With SpiderSubnet auto-pools for Pods annotated {@code ipam.spidernet.io/subnet(s)}. */
  public IpamEngine(
      PoolCommitter committer,
      PoolDirectory pools,
      PodDirectory directory,
      EndpointStore endpoints,
      EngineSettings settings,
      AutoPools autoPools) {
    this.directory = directory;
    this.endpoints = endpoints;
    this.config = settings.config();
    this.allocator = new Allocator(committer, pools, directory, settings, autoPools);
    this.releaser =
        new Releaser(committer, directory, endpoints, settings.releaseConflictIpsEnabled());
  }

  @Override
  public AddResult allocate(AddRequest req) {
    requireFields(req);
    long deadline = allocator.deadlineFromNow();
    return podLocks.with(
        PoolRecord.podKey(req.podNamespace(), req.podName()), () -> allocateLocked(req, deadline));
  }

  /** {@code deadline} ({@link System#nanoTime()}): until when pool writes may be retried. */
  private AddResult allocateLocked(AddRequest req, long deadline) {
    PodDirectory.PodInfo pod =
        directory.podForAdd(
            req.podNamespace(), req.podName(), req.podUid() == null ? "" : req.podUid());
    if (pod == null) {
      throw new TransientException(
          "pod " + req.podNamespace() + "/" + req.podName() + " not found");
    }
    if (!pod.alive()) {
      throw new InvalidInputException(
          "dead Pod "
              + req.podNamespace()
              + "/"
              + req.podName()
              + ", we cannot allocate IP addresses to it");
    }
    if (req.podUid() != null && !req.podUid().isEmpty() && !req.podUid().equals(pod.uid())) {
      throw new TransientException(
          "pod "
              + pod.namespace()
              + "/"
              + pod.name()
              + " has UID "
              + pod.uid()
              + ", not "
              + req.podUid()
              + " as the runtime says: the Pod was re-created, retry");
    }
    TopController owner = directory.topController(pod);
    String podKey = PoolRecord.podKey(pod.namespace(), pod.name());
    if (!isStateful(owner) && !endpointWritten.contains(podKey)) {
      AddResult first = firstAdd(req, pod, owner, deadline);
      if (first != null) {
        return first;
      }
    }
    EndpointRecord ep = endpoints.get(pod.namespace(), pod.name());
    if (ep != null) {
      endpointWritten.add(podKey);
    }
    if (ep != null && ep.uid().equals(pod.uid()) && ep.entryFor(req.ifName()) != null) {
      return result(claim(ep, req.ifName()));
    }
    PoolSelection selection = allocator.select(req, pod, owner);
    if (ep != null && !ep.uid().equals(pod.uid())) {
      if (isStateful(owner) && recordedPoolsStillChosen(ep, selection, req.ifName())) {
        EndpointRecord taken = releaser.reown(ep, pod, req.ifName());
        if (taken != null) {
          return result(taken);
        }
      } else {
        releaser.releaseEndpoint(ep);
      }
      ep = null;
    }
    List<Allocator.Taken> taken = new ArrayList<>();
    try {
      List<EndpointRecord.Nic> added = allocator.allocate(req, pod, selection, ep, taken, deadline);
      return result(record(ep, pod, owner, added));
    } catch (OutcomeUnknownException e) {
      keepForRetry(pod);
      throw e;
    } catch (RuntimeException e) {
      // as in firstAdd: a reused record was the Pod's before this call, and an endpoint written by
      // an earlier call (or landing late) may name it
      allocator.rollback(newlyTaken(taken), pod.uid());
      throw e;
    }
  }

  /**
   * A first ADD without reading the endpoint; null when an endpoint exists after all, with the
   * addresses this call newly took given back. On failure, too, only newly taken addresses are
   * given back: a reused one belongs to the Pod UID already and possibly to its endpoint.
   */
  private AddResult firstAdd(
      AddRequest req, PodDirectory.PodInfo pod, TopController owner, long deadline) {
    PoolSelection selection = allocator.select(req, pod, owner);
    List<Allocator.Taken> taken = new ArrayList<>();
    try {
      List<EndpointRecord.Nic> added =
          allocator.allocate(req, pod, selection, null, taken, deadline);
      EndpointRecord created =
          endpoints.create(
              new EndpointRecord(
                  pod.namespace(),
                  pod.name(),
                  pod.uid(),
                  pod.nodeName(),
                  owner.kind(),
                  owner.name(),
                  added,
                  false,
                  null));
      endpointWritten.add(PoolRecord.podKey(pod.namespace(), pod.name()));
      return result(created);
    } catch (EndpointStore.AlreadyExists exists) {
      allocator.rollback(newlyTaken(taken), pod.uid());
      return null;
    } catch (OutcomeUnknownException e) {
      keepForRetry(pod);
      throw e;
    } catch (RuntimeException e) {
      allocator.rollback(newlyTaken(taken), pod.uid());
      throw e;
    }
  }

  /**
   * The endpoint write may land after its failure was reported: the pool records stay with the Pod
   * UID (giving them back would let another Pod take an address the landed endpoint names), and the
   * Pod's next ADD reads the endpoint first. Its retry reuses the records or answers the endpoint;
   * if the Pod goes instead, the GC frees both.
   */
  private void keepForRetry(PodDirectory.PodInfo pod) {
    endpointWritten.add(PoolRecord.podKey(pod.namespace(), pod.name()));
  }

  private static List<Allocator.Taken> newlyTaken(List<Allocator.Taken> taken) {
    return taken.stream().filter(t -> !t.reused()).toList();
  }

  /**
   * docs/spiderpool-compat.md#choosing-the-add-path: a re-created StatefulSet Pod keeps its
   * addresses only while the pools they came from are still among the NIC's candidates; after its
   * pool annotation changed it gets new ones from the new pools.
   */
  private static boolean recordedPoolsStillChosen(
      EndpointRecord ep, PoolSelection selection, String nic) {
    boolean unnamed =
        selection.source() == CandidateSource.IPPOOLS_ANNOTATION && !selection.namedInterfaces();
    List<EndpointRecord.Nic> entries =
        unnamed ? ep.nics() : ep.entryFor(nic) == null ? List.of() : List.of(ep.entryFor(nic));
    for (EndpointRecord.Nic entry : entries) {
      List<NicCandidates> scope =
          unnamed ? selection.nics() : selection.forNic(nic).map(List::of).orElse(List.of());
      if (!chosen(entry.ipv4Pool(), scope, IpFamily.V4)
          || !chosen(entry.ipv6Pool(), scope, IpFamily.V6)) {
        return false;
      }
    }
    return true;
  }

  private static boolean chosen(String pool, List<NicCandidates> scope, IpFamily family) {
    return pool == null || scope.stream().anyMatch(n -> n.poolNames(family).contains(pool));
  }

  private EndpointRecord claim(EndpointRecord ep, String nic) {
    if (ep.nics().stream().anyMatch(n -> n.nic().equals(nic))) {
      return ep;
    }
    return endpoints.update(ep.claimUnnamed(nic));
  }

  private EndpointRecord record(
      EndpointRecord ep,
      PodDirectory.PodInfo pod,
      TopController owner,
      List<EndpointRecord.Nic> added) {
    try {
      endpointWritten.add(PoolRecord.podKey(pod.namespace(), pod.name()));
      if (ep == null) {
        return endpoints.create(
            new EndpointRecord(
                pod.namespace(),
                pod.name(),
                pod.uid(),
                pod.nodeName(),
                owner.kind(),
                owner.name(),
                added,
                isStateful(owner),
                null));
      }
      List<EndpointRecord.Nic> all = new ArrayList<>(ep.nics());
      all.addAll(added);
      return endpoints.update(
          new EndpointRecord(
              ep.namespace(),
              ep.name(),
              ep.uid(),
              pod.nodeName(),
              ep.ownerKind(),
              ep.ownerName(),
              all,
              ep.stateful(),
              ep.resourceVersion()));
    } catch (PoolStore.Conflict | EndpointStore.AlreadyExists e) {
      throw new TransientException(
          "SpiderEndpoint "
              + pod.namespace()
              + "/"
              + pod.name()
              + " changed concurrently: "
              + e.getMessage());
    }
  }

  boolean isStateful(TopController owner) {
    return config.enableStatefulSet()
        && "StatefulSet".equals(owner.kind())
        && "apps".equals(owner.group());
  }

  private AddResult result(EndpointRecord ep) {
    return ResultBuilder.of(
        ep, config.enableGatewayDetection(), config.enableIpConflictDetection());
  }

  @Override
  public void release(ReleaseRequest req) {
    if (req.podNamespace() == null
        || req.podNamespace().isEmpty()
        || req.podName() == null
        || req.podName().isEmpty()) {
      throw new InvalidInputException("podNamespace and podName must be specified");
    }
    podLocks.with(
        PoolRecord.podKey(req.podNamespace(), req.podName()),
        () -> {
          releaser.release(req, this::isStateful);
          return null;
        });
  }

  @Override
  public int releaseOrphans(String node) {
    return releaser.releaseOrphans(node);
  }

  @Override
  public Optional<EndpointView> endpoint(String podNamespace, String podName) {
    EndpointRecord ep = endpoints.get(podNamespace, podName);
    if (ep == null) {
      return Optional.empty();
    }
    List<EndpointView.Interface> nics = new ArrayList<>();
    for (EndpointRecord.Nic n : ep.nics()) {
      nics.add(
          new EndpointView.Interface(
              n.nic(),
              n.ipv4(),
              n.ipv6(),
              n.ipv4Pool(),
              n.ipv6Pool(),
              n.ipv4Gateway(),
              n.ipv6Gateway(),
              null,
              0,
              n.routes()));
    }
    return Optional.of(new EndpointView(ep.namespace(), ep.name(), ep.uid(), ep.node(), nics));
  }

  private static void requireFields(AddRequest r) {
    List<String> missing = new ArrayList<>();
    if (r.containerId() == null || r.containerId().isEmpty()) {
      missing.add("containerID");
    }
    if (r.ifName() == null || r.ifName().isEmpty()) {
      missing.add("ifName");
    }
    if (r.podNamespace() == null || r.podNamespace().isEmpty()) {
      missing.add("podNamespace");
    }
    if (r.podName() == null || r.podName().isEmpty()) {
      missing.add("podName");
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException(String.join(", ", missing) + " must be specified");
    }
  }
}
