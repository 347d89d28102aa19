// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.api.SpiderReservedIPSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * API objects a Pod's IPAM depends on, made the way a cluster would have them: Nodes with labels,
 * namespaces with annotations, Pods bound to a node ({@code spec.nodeName}) with labels,
 * annotations and owner references, StatefulSets, pools and reserved IPs. Nothing runs the Pods;
 * {@link #running} sets {@code status.phase} as a kubelet would, because the engine refuses dead
 * Pods.
 *
 * <p>{@link #close()} deletes what this instance created (Pods at once, grace period 0). Namespaces
 * are left: without a namespace controller they would only stay Terminating.
 */
public final class ClusterFixtures implements AutoCloseable {
  private final KubernetesClient client;
  private final List<HasMetadata> created = Collections.synchronizedList(new ArrayList<>());

  /** Fixtures written with {@code client} (the caller keeps ownership of it). */
  public ClusterFixtures(KubernetesClient client) {
    this.client = client;
  }

  /** The client. */
  public KubernetesClient client() {
    return client;
  }

  /** A Node object with labels; no kubelet behind it. */
  public Node node(String name, Map<String, String> labels) {
    Node n =
        new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    return track(client.resource(n).serverSideApply());
  }

  /** A namespace with labels and annotations (e.g. default pools), created or updated. */
  public Namespace namespace(
      String name, Map<String, String> labels, Map<String, String> annotations) {
    Namespace ns =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .withAnnotations(annotations)
            .endMetadata()
            .build();
    return client.resource(ns).serverSideApply();
  }

  /** What to put on a Pod; start with {@link #pod(String, String, String)}. */
  public static final class PodSpec {
    final String namespace;
    final String name;
    final String node;
    final Map<String, String> labels = new HashMap<>();
    final Map<String, String> annotations = new HashMap<>();
    final List<OwnerReference> owners = new ArrayList<>();

    PodSpec(String namespace, String name, String node) {
      this.namespace = namespace;
      this.name = name;
      this.node = node;
    }

    /** Adds a label. */
    public PodSpec label(String k, String v) {
      labels.put(k, v);
      return this;
    }

    /** Adds an annotation, e.g. {@code ipam.spidernet.io/ippools}. */
    public PodSpec annotation(String k, String v) {
      annotations.put(k, v);
      return this;
    }

    /** Makes {@code owner} the Pod's controller (owner reference with {@code controller: true}). */
    public PodSpec controlledBy(HasMetadata owner) {
      owners.add(
          new OwnerReferenceBuilder()
              .withApiVersion(owner.getApiVersion())
              .withKind(owner.getKind())
              .withName(owner.getMetadata().getName())
              .withUid(owner.getMetadata().getUid())
              .withController(true)
              .withBlockOwnerDeletion(true)
              .build());
      return this;
    }
  }

  /** Starts describing Pod {@code namespace/name} bound to {@code node}. */
  public static PodSpec pod(String namespace, String name, String node) {
    return new PodSpec(namespace, name, node);
  }

  /** Creates the Pod (Pending, as after scheduling) and returns it with its server-assigned UID. */
  public Pod create(PodSpec s) {
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(s.namespace)
            .withName(s.name)
            .withLabels(s.labels)
            .withAnnotations(s.annotations)
            .withOwnerReferences(s.owners)
            .endMetadata()
            .withNewSpec()
            .withNodeName(s.node)
            .withRestartPolicy("Always")
            // never pulled: no kubelet runs on this control plane
            .addNewContainer()
            .withName("c")
            .withImage("registry.invalid/spiderpool-e2e:none")
            .endContainer()
            .endSpec()
            .build();
    return track(client.resource(p).create());
  }

  /** Creates the Pod and marks it Running. */
  public Pod createRunning(PodSpec s) {
    return running(create(s));
  }

  /** Sets {@code status.phase: Running}, as the kubelet would once the sandbox is up. */
  public Pod running(Pod p) {
    Pod copy =
        new PodBuilder(p).withStatus(new PodStatusBuilder().withPhase("Running").build()).build();
    return client.resource(copy).updateStatus();
  }

  /** Deletes the Pod at once (grace period 0): afterwards the API no longer has it. */
  public void deleteNow(Pod p) {
    client
        .pods()
        .inNamespace(p.getMetadata().getNamespace())
        .withName(p.getMetadata().getName())
        .withGracePeriod(0)
        .delete();
    client
        .pods()
        .inNamespace(p.getMetadata().getNamespace())
        .withName(p.getMetadata().getName())
        .waitUntilCondition(x -> x == null, 30, TimeUnit.SECONDS);
  }

  /** A StatefulSet object (no controller creates its Pods; the test does). */
  public StatefulSet statefulSet(String namespace, String name, int replicas) {
    return track(client.resource(statefulSetOf(namespace, name, replicas)).create());
  }

  /** The StatefulSet {@link #statefulSet} creates, not yet created. */
  public static StatefulSet statefulSetOf(String namespace, String name, int replicas) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(name)
        .withSelector(new LabelSelector(null, Map.of("app", name)))
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app", name))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("registry.invalid/spiderpool-e2e:none")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A pool of one family; {@code tune} sets affinities, excludes, default flag, ... */
  public SpiderIPPool pool(
      String name,
      int family,
      String subnet,
      List<String> ips,
      String gateway,
      Consumer<SpiderIPPoolSpec> tune) {
    SpiderIPPool p = poolOf(name, family, subnet, ips, gateway);
    tune.accept(p.getSpec());
    return track(client.resource(p).create());
  }

  /** The pool {@link #pool} creates, untuned and not yet created. */
  public static SpiderIPPool poolOf(
      String name, int family, String subnet, List<String> ips, String gateway) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(name);
    SpiderIPPoolSpec spec = new SpiderIPPoolSpec();
    spec.setIpVersion((long) family);
    spec.setSubnet(subnet);
    spec.setIps(ips);
    spec.setGateway(gateway);
    p.setSpec(spec);
    return p;
  }

  /** A SpiderReservedIP of one family. */
  public SpiderReservedIP reservedIps(String name, int family, List<String> ips) {
    SpiderReservedIP r = new SpiderReservedIP();
    r.getMetadata().setName(name);
    SpiderReservedIPSpec spec = new SpiderReservedIPSpec();
    spec.setIpVersion((long) family);
    spec.setIps(ips);
    r.setSpec(spec);
    return track(client.resource(r).create());
  }

  private <T extends HasMetadata> T track(T o) {
    created.add(o);
    return o;
  }

  /**
   * Deletes what was created here, newest first; objects already gone are fine. The control plane
   * is shared by the whole run and no controller role outlives its test class, so finalizers a role
   * added (pools, subnets) or the agent set (endpoints) are removed here: the next class may create
   * an object of the same name.
   */
  @Override
  public void close() {
    List<HasMetadata> all;
    synchronized (created) {
      all = new ArrayList<>(created);
    }
    Collections.reverse(all);
    for (HasMetadata o : all) {
      try {
        if (o instanceof Pod) {
          client.resource(o).withGracePeriod(0).delete();
        } else {
          client.resource(o).delete();
          unfinalize(o);
        }
      } catch (RuntimeException e) {
        System.err.println(
            "cleanup: could not delete "
                + o.getKind()
                + " "
                + o.getMetadata().getName()
                + ": "
                + e);
      }
    }
  }

  private void unfinalize(HasMetadata o) {
    for (int attempt = 0; attempt < 5; attempt++) {
      HasMetadata live = client.resource(o).get();
      if (live == null
          || live.getMetadata().getFinalizers() == null
          || live.getMetadata().getFinalizers().isEmpty()) {
        return;
      }
      live.getMetadata().setFinalizers(new ArrayList<>());
      try {
        client.resource(live).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }
}
