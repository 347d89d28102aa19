// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.store.KubernetesIpam;
import io.spiderpool.service.ipam.AddRequest;
import io.spiderpool.service.ipam.EngineSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Objects for GC tests on the shared control plane: one namespace, a Ready and a NotReady node,
 * pools, Pods (API objects only, status set by the test as a kubelet would) and allocations made by
 * the real engine, as an agent makes them. {@link #cleanup()} removes finalizers, then objects.
 */
public final class GcFixture implements AutoCloseable {
  public static final String READY_NODE = "gc-node-ready";
  public static final String DOWN_NODE = "gc-node-down";

  public final KubernetesClient admin;
  public final String ns;
  public final KubernetesIpam ipam;
  private final List<String> pools = new ArrayList<>();

  public GcFixture(KubernetesClient admin, String ns) {
    this.admin = admin;
    this.ns = ns;
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .serverSideApply();
    node(READY_NODE, "True");
    node(DOWN_NODE, "False");
    this.ipam = new KubernetesIpam(admin, EngineSettings.defaults(ClusterConfig.DEFAULTS));
  }

  private void node(String name, String ready) {
    if (admin.nodes().withName(name).get() == null) {
      admin
          .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
    var n = admin.nodes().withName(name).get();
    n.setStatus(new NodeStatus());
    n.getStatus()
        .setConditions(
            List.of(
                new NodeConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready)
                    .withReason("Test")
                    .withLastHeartbeatTime(Instant.now().toString())
                    .withLastTransitionTime(Instant.now().toString())
                    .build()));
    admin.resource(n).updateStatus();
  }

  public void pool(String name, String subnet, List<String> ips, List<String> exclude) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(name);
    SpiderIPPoolSpec s = new SpiderIPPoolSpec();
    s.setSubnet(subnet);
    s.setIpVersion(subnet.contains(":") ? 6L : 4L);
    s.setIps(ips);
    s.setExcludeIPs(exclude);
    p.setSpec(s);
    admin.resource(p).create();
    pools.add(name);
    await("pool " + name + " in the engine's cache")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> ipam.knowsPool(name));
  }

  /** A Pod on {@code node}, Running with podIPs, as a kubelet would report it. */
  public Pod runningPod(String name, String node, OwnerReference owner) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withTerminationGracePeriodSeconds(0L)
            .addNewContainer()
            .withName("c")
            .withImage("x")
            .endContainer()
            .endSpec();
    if (owner != null) {
      b.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    Pod p = admin.resource(b.build()).create();
    return setStatus(p, "Running", "10.255.0.1", null, null);
  }

  /** Sets phase, podIPs (null = none), reason, and a container finished at {@code finishedAt}. */
  public Pod setStatus(Pod p, String phase, String podIp, String reason, Instant finishedAt) {
    Pod fresh = admin.pods().inNamespace(ns).withName(p.getMetadata().getName()).get();
    var st = new PodStatus();
    st.setPhase(phase);
    st.setReason(reason);
    if (podIp != null) {
      st.setPodIP(podIp);
      st.setPodIPs(List.of(new PodIPBuilder().withIp(podIp).build()));
    }
    if (finishedAt != null) {
      st.setContainerStatuses(
          List.of(
              new ContainerStatusBuilder()
                  .withName("c")
                  .withImage("x")
                  .withImageID("")
                  .withReady(false)
                  .withRestartCount(0)
                  .withNewState()
                  .withNewTerminated()
                  .withExitCode(0)
                  .withFinishedAt(finishedAt.toString())
                  .withStartedAt(finishedAt.minusSeconds(1).toString())
                  .endTerminated()
                  .endState()
                  .build()));
    }
    fresh.setStatus(st);
    return admin.resource(fresh).updateStatus();
  }

  /**
   * Allocates an address for the Pod from {@code pool} through the engine, as the agent's ADD does.
   */
  public String allocate(Pod p, String pool) {
    var r =
        ipam.engine()
            .allocate(
                new AddRequest(
                    "cid-" + p.getMetadata().getName(),
                    "eth0",
                    "/var/run/netns/x",
                    ns,
                    p.getMetadata().getName(),
                    p.getMetadata().getUid(),
                    List.of(pool),
                    List.of(),
                    false,
                    false));
    String a = r.ips().get(0).address();
    return a.substring(0, a.indexOf('/'));
  }

  public PoolRecords records(String pool) {
    SpiderIPPool p = admin.resources(SpiderIPPool.class).withName(pool).get();
    return p == null
        ? PoolRecords.empty()
        : PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
  }

  public boolean holds(String pool, String ip) {
    return records(pool).asMap().containsKey(ip);
  }

  public SpiderEndpoint endpoint(String name) {
    return admin.resources(SpiderEndpoint.class).inNamespace(ns).withName(name).get();
  }

  public void deletePod(String name, long graceSeconds) {
    admin.pods().inNamespace(ns).withName(name).withGracePeriod(graceSeconds).delete();
  }

  /** Removes finalizers and deletes this fixture's pools, endpoints, Pods and StatefulSets. */
  public void cleanup() {
    for (SpiderEndpoint e :
        admin.resources(SpiderEndpoint.class).inNamespace(ns).list().getItems()) {
      admin
          .resources(SpiderEndpoint.class)
          .inNamespace(ns)
          .withName(e.getMetadata().getName())
          .edit(
              x -> {
                x.getMetadata().setFinalizers(List.of());
                return x;
              });
      admin
          .resources(SpiderEndpoint.class)
          .inNamespace(ns)
          .withName(e.getMetadata().getName())
          .delete();
    }
    admin.pods().inNamespace(ns).withGracePeriod(0).delete();
    admin.apps().statefulSets().inNamespace(ns).delete();
    for (String name : pools) {
      var res = admin.resources(SpiderIPPool.class).withName(name);
      if (res.get() != null) {
        res.edit(
            x -> {
              x.getMetadata().setFinalizers(List.of());
              return x;
            });
        res.delete();
      }
    }
  }

  @Override
  public void close() {
    cleanup();
    ipam.close();
  }
}
