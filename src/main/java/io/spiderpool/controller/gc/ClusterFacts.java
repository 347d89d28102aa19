// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.gc.EndpointFacts;
import io.spiderpool.core.gc.PodFacts;
import io.spiderpool.k8s.api.SpiderEndpoint;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Pods, SpiderEndpoints, StatefulSets and Nodes into the facts the core GC decides on. The
 * objects come from a {@link Lookup}: the informer caches for the first look, the API server to
 * confirm a release (a cache that has not seen a new Pod yet must never free its address).
 */
final class ClusterFacts {
  private static final Pattern ORDINAL = Pattern.compile("^(.*)-(\\d+)$");

  /** Where the objects come from. Every method returns null for an object that does not exist. */
  interface Lookup {
    Pod pod(String namespace, String name);

    SpiderEndpoint endpoint(String namespace, String name);

    StatefulSet statefulSet(String namespace, String name);

    Node node(String name);
  }

  private final Lookup lookup;
  private final boolean statefulSetEnabled;

  ClusterFacts(Lookup lookup, boolean statefulSetEnabled) {
    this.lookup = lookup;
    this.statefulSetEnabled = statefulSetEnabled;
  }

  /** Reads every object fresh from the API server. */
  static Lookup fresh(KubernetesClient client) {
    return new Lookup() {
      @Override
      public Pod pod(String namespace, String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
      }

      @Override
      public SpiderEndpoint endpoint(String namespace, String name) {
        return client.resources(SpiderEndpoint.class).inNamespace(namespace).withName(name).get();
      }

      @Override
      public StatefulSet statefulSet(String namespace, String name) {
        return client.apps().statefulSets().inNamespace(namespace).withName(name).get();
      }

      @Override
      public Node node(String name) {
        return name == null || name.isEmpty() ? null : client.nodes().withName(name).get();
      }
    };
  }

  PodFacts pod(String namespace, String name) {
    Pod p = lookup.pod(namespace, name);
    if (p == null) {
      return null;
    }
    var meta = p.getMetadata();
    var status = p.getStatus();
    OwnerReference sts = statefulSetOwner(p);
    boolean isStatic = statefulSetEnabled && sts != null;
    return new PodFacts(
        meta.getUid(),
        status == null ? null : status.getPhase(),
        meta.getDeletionTimestamp() == null ? null : Instant.parse(meta.getDeletionTimestamp()),
        meta.getDeletionGracePeriodSeconds() == null ? 0 : meta.getDeletionGracePeriodSeconds(),
        finishedAt(p),
        p.getSpec().getTerminationGracePeriodSeconds() == null
            ? 30
            : p.getSpec().getTerminationGracePeriodSeconds(),
        hasPodIps(p),
        nodeReady(p.getSpec().getNodeName()),
        isStatic,
        isStatic && validMember(namespace, name, sts.getName()));
  }

  EndpointFacts endpoint(String namespace, String name) {
    SpiderEndpoint e = lookup.endpoint(namespace, name);
    if (e == null || e.getStatus() == null || e.getStatus().getCurrent() == null) {
      return null;
    }
    boolean isStatic =
        statefulSetEnabled
            && "StatefulSet".equals(e.getStatus().getOwnerControllerType())
            && (e.getMetadata().getOwnerReferences() == null
                || e.getMetadata().getOwnerReferences().isEmpty());
    return new EndpointFacts(
        e.getStatus().getCurrent().getUid(),
        isStatic,
        isStatic && validMember(namespace, name, e.getStatus().getOwnerControllerName()));
  }

  /**
   * Spiderpool's valid StatefulSet member: the name is {@code <sts>-<ordinal>}, the StatefulSet
   * exists, is not being deleted, and the ordinal is within {@code [start, start + replicas)}.
   */
  boolean validMember(String namespace, String podName, String statefulSet) {
    Matcher m = ORDINAL.matcher(podName);
    if (statefulSet == null || !m.matches() || !m.group(1).equals(statefulSet)) {
      return false;
    }
    StatefulSet sts = lookup.statefulSet(namespace, statefulSet);
    if (sts == null || sts.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    long ordinal;
    try {
      ordinal = Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      return false;
    }
    var ordinals = sts.getSpec().getOrdinals();
    long start = ordinals == null || ordinals.getStart() == null ? 0 : ordinals.getStart();
    long replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    return ordinal >= start && ordinal < start + replicas;
  }

  private boolean nodeReady(String nodeName) {
    Node n = lookup.node(nodeName);
    return n != null && isReady(n);
  }

  static boolean isReady(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  static OwnerReference statefulSetOwner(Pod p) {
    if (p.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    for (OwnerReference o : p.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(o.getController())
          && "StatefulSet".equals(o.getKind())
          && "apps/v1".equals(o.getApiVersion())) {
        return o;
      }
    }
    return null;
  }

  static boolean hasPodIps(Pod p) {
    var s = p.getStatus();
    return s != null
        && ((s.getPodIPs() != null && !s.getPodIPs().isEmpty())
            || (s.getPodIP() != null && !s.getPodIP().isEmpty()));
  }

  private static Instant finishedAt(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return null;
    }
    Instant latest = null;
    for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
      var t = c.getState() == null ? null : c.getState().getTerminated();
      if (t != null && t.getFinishedAt() != null) {
        Instant f = Instant.parse(t.getFinishedAt());
        if (latest == null || f.isAfter(latest)) {
          latest = f;
        }
      }
    }
    return latest;
  }
}
