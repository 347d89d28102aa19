// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * Every Pod of {@code namespace} by name, from one read as fresh as {@link #pod} (a LIST
     * without resourceVersion is as consistent as a GET); null when the namespace holds more than
     * {@code most} (then read them one by one) or when this lookup cannot list.
     */
    default Map<String, Pod> pods(String namespace, int most) {
      return null;
    }

    /** Every SpiderEndpoint of {@code namespace}, as {@link #pods}. */
    default Map<String, SpiderEndpoint> endpoints(String namespace, int most) {
      return null;
    }
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

      @Override
      public Map<String, Pod> pods(String namespace, int most) {
        return byName(
            client
                .pods()
                .inNamespace(namespace)
                .list(new ListOptionsBuilder().withLimit((long) most).build()));
      }

      @Override
      public Map<String, SpiderEndpoint> endpoints(String namespace, int most) {
        return byName(
            client
                .resources(SpiderEndpoint.class)
                .inNamespace(namespace)
                .list(new ListOptionsBuilder().withLimit((long) most).build()));
      }
    };
  }

  /**
   * The items of one LIST page by name; null when the page is not the whole list (a continue
   * token): the objects not on it may still exist.
   */
  private static <T extends HasMetadata> Map<String, T> byName(KubernetesResourceList<T> page) {
    String more = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    if (more != null && !more.isEmpty()) {
      return null;
    }
    Map<String, T> out = new HashMap<>();
    for (T item : page.getItems()) {
      out.put(item.getMetadata().getName(), item);
    }
    return out;
  }

  /**
   * {@code base} with the Pods and endpoints of one namespace answered from {@code pods} and {@code
   * endpoints} (one read each; null: ask {@code base} per object), and each StatefulSet and Node
   * read at most once.
   */
  static Lookup listed(Lookup base, Map<String, Pod> pods, Map<String, SpiderEndpoint> endpoints) {
    Map<String, Optional<StatefulSet>> statefulSets = new ConcurrentHashMap<>();
    Map<String, Optional<Node>> nodes = new ConcurrentHashMap<>();
    return new Lookup() {
      @Override
      public Pod pod(String namespace, String name) {
        return pods == null ? base.pod(namespace, name) : pods.get(name);
      }

      @Override
      public SpiderEndpoint endpoint(String namespace, String name) {
        return endpoints == null ? base.endpoint(namespace, name) : endpoints.get(name);
      }

      @Override
      public StatefulSet statefulSet(String namespace, String name) {
        return statefulSets
            .computeIfAbsent(
                namespace + "/" + name, k -> Optional.ofNullable(base.statefulSet(namespace, name)))
            .orElse(null);
      }

      @Override
      public Node node(String name) {
        return name == null
            ? null
            : nodes.computeIfAbsent(name, k -> Optional.ofNullable(base.node(name))).orElse(null);
      }
    };
  }

  Lookup lookup() {
    return lookup;
  }

  /** The same rules over another source of objects. */
  ClusterFacts over(Lookup other) {
    return new ClusterFacts(other, statefulSetEnabled);
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
    return endpoint(namespace, name, lookup.endpoint(namespace, name));
  }

  /** The facts of {@code e}, the endpoint named {@code namespace/name} (null: absent). */
  EndpointFacts endpoint(String namespace, String name, SpiderEndpoint e) {
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
