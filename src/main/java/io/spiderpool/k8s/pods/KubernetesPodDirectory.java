// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.pool.TopController;
import io.spiderpool.service.ipam.PodDirectory;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pods, owners, namespaces and nodes read straight from the API server. Pods are read fresh, as
 * Spiderpool does for allocation and release decisions; owners are resolved one level up where
 * Kubernetes nests controllers (ReplicaSet → Deployment, Job → CronJob).
 */
public final class KubernetesPodDirectory implements PodDirectory {
  private static final Pattern ORDINAL = Pattern.compile("^(.*)-(\\d+)$");
  private final KubernetesClient client;

  public KubernetesPodDirectory(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public PodInfo pod(String namespace, String name) {
    Pod p = client.pods().inNamespace(namespace).withName(name).get();
    if (p == null) {
      return null;
    }
    var status = p.getStatus();
    List<OwnerRef> owners = p.getMetadata().getOwnerReferences() == null ? List.of()
        : p.getMetadata().getOwnerReferences().stream().map(o -> new OwnerRef(o.getApiVersion(), o.getKind(),
            o.getName(), o.getUid(), Boolean.TRUE.equals(o.getController()))).toList();
    return new PodInfo(namespace, name, p.getMetadata().getUid(), p.getSpec().getNodeName(),
        orEmpty(p.getMetadata().getLabels()), orEmpty(p.getMetadata().getAnnotations()),
        status == null ? null : status.getPhase(), p.getSpec().getRestartPolicy(),
        status == null ? null : status.getReason(), p.getMetadata().getDeletionTimestamp() != null, owners);
  }

  @Override
  public TopController topController(PodInfo pod) {
    OwnerRef c = pod.owners().stream().filter(OwnerRef::controller).findFirst().orElse(null);
    if (c == null) {
      return TopController.orphanPod(pod.namespace(), pod.name(), pod.uid());
    }
    if ("apps/v1".equals(c.apiVersion()) && "ReplicaSet".equals(c.kind())) {
      return parentOf(client.apps().replicaSets().inNamespace(pod.namespace()).withName(c.name()).get(), c, pod,
          "apps/v1", "Deployment");
    }
    if ("batch/v1".equals(c.apiVersion()) && "Job".equals(c.kind())) {
      return parentOf(client.batch().v1().jobs().inNamespace(pod.namespace()).withName(c.name()).get(), c, pod,
          "batch/v1", "CronJob");
    }
    return new TopController(c.apiVersion(), c.kind(), pod.namespace(), c.name(), c.uid());
  }

  private static TopController parentOf(HasMetadata middle, OwnerRef ref, PodInfo pod, String apiVersion,
      String kind) {
    if (middle != null && middle.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference o : middle.getMetadata().getOwnerReferences()) {
        if (Boolean.TRUE.equals(o.getController()) && apiVersion.equals(o.getApiVersion()) && kind.equals(o.getKind())) {
          return new TopController(apiVersion, kind, pod.namespace(), o.getName(), o.getUid());
        }
      }
    }
    return new TopController(ref.apiVersion(), ref.kind(), pod.namespace(), ref.name(), ref.uid());
  }

  @Override
  public Labeled namespace(String name) {
    var ns = client.namespaces().withName(name).get();
    return ns == null ? new Labeled(Map.of(), Map.of())
        : new Labeled(orEmpty(ns.getMetadata().getLabels()), orEmpty(ns.getMetadata().getAnnotations()));
  }

  @Override
  public Labeled node(String name) {
    if (name == null || name.isEmpty()) {
      return new Labeled(Map.of(), Map.of());
    }
    var node = client.nodes().withName(name).get();
    return node == null ? new Labeled(Map.of(), Map.of())
        : new Labeled(orEmpty(node.getMetadata().getLabels()), orEmpty(node.getMetadata().getAnnotations()));
  }

  @Override
  public boolean isStatefulSetMember(String namespace, String podName, String statefulSet) {
    Matcher m = ORDINAL.matcher(podName);
    if (!m.matches() || !m.group(1).equals(statefulSet)) {
      return false;
    }
    StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
    if (sts == null || sts.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    long ordinal = Long.parseLong(m.group(2));
    int start = sts.getSpec().getOrdinals() == null || sts.getSpec().getOrdinals().getStart() == null ? 0
        : sts.getSpec().getOrdinals().getStart();
    int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    return ordinal >= start && ordinal < (long) start + replicas;
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
