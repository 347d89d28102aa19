// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.spiderpool.core.pool.TopController;
import io.spiderpool.k8s.ApiErrors;
import io.spiderpool.k8s.cache.TrimmingItemStore;
import io.spiderpool.service.ipam.PodDirectory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pods, owners, namespaces and nodes read straight from the API server. Pods are read fresh, as
 * Spiderpool does for allocation and release decisions; owners are resolved one level up where
 * Kubernetes nests controllers (ReplicaSet → Deployment, Job → CronJob).
 */
public final class KubernetesPodDirectory implements PodDirectory, AutoCloseable {
  private static final Pattern ORDINAL = Pattern.compile("^(.*)-(\\d+)$");
  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<Node> nodes;

  /**
   * With a {@code nodeName}, watches that node's Pods (field selector {@code spec.nodeName}), that
   * Node and the namespaces — not every Pod of the cluster
   * (docs/spiderpool-compat.md#node-scoped-caches) — so an ADD costs no reads of them. Without one,
   * every read goes to the API server.
   */
  public KubernetesPodDirectory(KubernetesClient client, String nodeName) {
    this.client = client;
    if (nodeName == null) {
      pods = null;
      namespaces = null;
      nodes = null;
    } else {
      // the caches keep only what this class reads (TrimmingItemStore)
      pods =
          client
              .pods()
              .inAnyNamespace()
              .withField("spec.nodeName", nodeName)
              .runnableInformer(0)
              .itemStore(new TrimmingItemStore<>(KubernetesPodDirectory::trimmed))
              .run();
      namespaces =
          client
              .namespaces()
              .runnableInformer(0)
              .itemStore(new TrimmingItemStore<>(ns -> labeledOnly(new Namespace(), ns)))
              .run();
      nodes =
          client
              .nodes()
              .withField("metadata.name", nodeName)
              .runnableInformer(0)
              .itemStore(new TrimmingItemStore<>(n -> labeledOnly(new Node(), n)))
              .run();
    }
  }

  @Override
  public PodInfo podForAdd(String namespace, String name, String expectedUid) {
    if (pods != null) {
      Pod p = pods.getStore().getByKey(namespace + "/" + name);
      if (p != null && (expectedUid.isEmpty() || expectedUid.equals(p.getMetadata().getUid()))) {
        return info(p);
      }
    }
    return pod(namespace, name);
  }

  @Override
  public PodInfo pod(String namespace, String name) {
    Pod p = read(() -> client.pods().inNamespace(namespace).withName(name).get());
    return p == null ? null : info(p);
  }

  /**
   * The part of a Pod that {@link #info} reads (metadata without managedFields, spec.nodeName and
   * restartPolicy, status.phase and reason): what the node's Pod cache keeps. A full Pod's
   * containers, volumes and conditions are most of its size.
   */
  static Pod trimmed(Pod p) {
    Pod t = new Pod();
    t.setApiVersion(p.getApiVersion());
    t.setKind(p.getKind());
    t.setMetadata(TrimmingItemStore.withoutManagedFields(p.getMetadata()));
    if (p.getSpec() != null) {
      PodSpec spec = new PodSpec();
      spec.setNodeName(p.getSpec().getNodeName());
      spec.setRestartPolicy(p.getSpec().getRestartPolicy());
      t.setSpec(spec);
    }
    if (p.getStatus() != null) {
      PodStatus status = new PodStatus();
      status.setPhase(p.getStatus().getPhase());
      status.setReason(p.getStatus().getReason());
      t.setStatus(status);
    }
    return t;
  }

  /** A Namespace or Node as {@link #namespace} and {@link #node} read it: its metadata only. */
  static <T extends HasMetadata> T labeledOnly(T empty, T full) {
    empty.setMetadata(TrimmingItemStore.withoutManagedFields(full.getMetadata()));
    return empty;
  }

  static PodInfo info(Pod p) {
    String namespace = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    var status = p.getStatus();
    List<OwnerRef> owners =
        p.getMetadata().getOwnerReferences() == null
            ? List.of()
            : p.getMetadata().getOwnerReferences().stream()
                .map(
                    o ->
                        new OwnerRef(
                            o.getApiVersion(),
                            o.getKind(),
                            o.getName(),
                            o.getUid(),
                            Boolean.TRUE.equals(o.getController())))
                .toList();
    return new PodInfo(
        namespace,
        name,
        p.getMetadata().getUid(),
        p.getSpec().getNodeName(),
        orEmpty(p.getMetadata().getLabels()),
        orEmpty(p.getMetadata().getAnnotations()),
        status == null ? null : status.getPhase(),
        p.getSpec().getRestartPolicy(),
        status == null ? null : status.getReason(),
        p.getMetadata().getDeletionTimestamp() != null,
        owners);
  }

  @Override
  public TopController topController(PodInfo pod) {
    OwnerRef c = pod.owners().stream().filter(OwnerRef::controller).findFirst().orElse(null);
    if (c == null) {
      return TopController.orphanPod(pod.namespace(), pod.name(), pod.uid());
    }
    if ("apps/v1".equals(c.apiVersion()) && "ReplicaSet".equals(c.kind())) {
      return parentOf(
          read(
              () ->
                  client
                      .apps()
                      .replicaSets()
                      .inNamespace(pod.namespace())
                      .withName(c.name())
                      .get()),
          c,
          pod,
          "apps/v1",
          "Deployment");
    }
    if ("batch/v1".equals(c.apiVersion()) && "Job".equals(c.kind())) {
      return parentOf(
          read(
              () ->
                  client.batch().v1().jobs().inNamespace(pod.namespace()).withName(c.name()).get()),
          c,
          pod,
          "batch/v1",
          "CronJob");
    }
    return new TopController(c.apiVersion(), c.kind(), pod.namespace(), c.name(), c.uid());
  }

  private static TopController parentOf(
      HasMetadata middle, OwnerRef ref, PodInfo pod, String apiVersion, String kind) {
    if (middle != null && middle.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference o : middle.getMetadata().getOwnerReferences()) {
        if (Boolean.TRUE.equals(o.getController())
            && apiVersion.equals(o.getApiVersion())
            && kind.equals(o.getKind())) {
          return new TopController(apiVersion, kind, pod.namespace(), o.getName(), o.getUid());
        }
      }
    }
    return new TopController(ref.apiVersion(), ref.kind(), pod.namespace(), ref.name(), ref.uid());
  }

  @Override
  public Labeled namespace(String name) {
    Namespace ns = namespaces == null ? null : namespaces.getStore().getByKey(name);
    if (ns == null) {
      ns = read(() -> client.namespaces().withName(name).get());
    }
    return ns == null
        ? new Labeled(Map.of(), Map.of())
        : new Labeled(
            orEmpty(ns.getMetadata().getLabels()), orEmpty(ns.getMetadata().getAnnotations()));
  }

  @Override
  public Labeled node(String name) {
    if (name == null || name.isEmpty()) {
      return new Labeled(Map.of(), Map.of());
    }
    Node node = nodes == null ? null : nodes.getStore().getByKey(name);
    if (node == null) {
      node = read(() -> client.nodes().withName(name).get());
    }
    return node == null
        ? new Labeled(Map.of(), Map.of())
        : new Labeled(
            orEmpty(node.getMetadata().getLabels()), orEmpty(node.getMetadata().getAnnotations()));
  }

  @Override
  public boolean isStatefulSetMember(String namespace, String podName, String statefulSet) {
    Matcher m = ORDINAL.matcher(podName);
    if (!m.matches() || !m.group(1).equals(statefulSet)) {
      return false;
    }
    StatefulSet sts =
        read(() -> client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get());
    if (sts == null || sts.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    long ordinal = Long.parseLong(m.group(2));
    int start =
        sts.getSpec().getOrdinals() == null || sts.getSpec().getOrdinals().getStart() == null
            ? 0
            : sts.getSpec().getOrdinals().getStart();
    int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    return ordinal >= start && ordinal < (long) start + replicas;
  }

  @Override
  public void close() {
    for (SharedIndexInformer<?> i : Arrays.asList(pods, namespaces, nodes)) {
      if (i != null) {
        i.close();
      }
    }
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  /** A read whose failure names the API server as the cause (docs/reliability.md, fault 4). */
  private static <T> T read(Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw ApiErrors.named(e);
    }
  }
}
