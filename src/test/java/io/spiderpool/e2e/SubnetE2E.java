// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderSubnetSpec;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.CniResult;
import io.spiderpool.testing.e2e.KernelView;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.PodSandbox;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.Records;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SpiderSubnet through the real plugins: both daemons run with {@code enableSpiderSubnet}, one of
 * them holds the controller role and makes the applications' auto-pools; the Pods' ADDs (macvlan,
 * bridge) wait for them and get their addresses from them — a Deployment's Pods on both nodes (dual
 * stack, {@code subnet}) and a two-NIC workload ({@code subnets}: eth0 and net1 from different
 * subnets). Kernel state, CNI results, pool records and SpiderEndpoints agree.
 */
@ExtendWith(ControlPlaneExtension.class)
class SubnetE2E {
  private static final String NS = "e2e-subnet";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TwoNodes cluster;
  private static ClusterFixtures fx;
  private static Records records;
  private static KubernetesClient client;
  private static final List<PodSandbox> SANDBOXES = new ArrayList<>();
  private static final List<HasMetadata> APPS = new ArrayList<>();
  private static final List<String> SUBNETS =
      List.of("e2e-sub-v4", "e2e-sub-v6", "e2e-sub-eth0", "e2e-sub-net1");

  @BeforeAll
  static void cluster(LocalControlPlane cp) {
    cluster =
        TwoNodes.start(
            cp, Map.of("enableSpiderSubnet", "true", "enableAutoPoolForApplication", "true"));
    client = cp.client();
    fx = new ClusterFixtures(client);
    records = new Records(client);
    fx.namespace(NS, Map.of(), Map.of());
    subnet("e2e-sub-v4", "10.72.0.0/24", "10.72.0.10-10.72.0.40", "10.72.0.1");
    subnet("e2e-sub-v6", "fd00:72::/64", "fd00:72::10-fd00:72::40", "fd00:72::1");
    subnet("e2e-sub-eth0", "10.71.9.0/24", "10.71.9.10-10.71.9.40", null);
    subnet("e2e-sub-net1", "10.70.9.0/24", "10.70.9.10-10.70.9.40", null);
  }

  @AfterAll
  static void stop() {
    try {
      SANDBOXES.forEach(PodSandbox::close);
      if (fx != null) {
        fx.close();
      }
      if (client != null) {
        removeAppsPoolsAndSubnets();
      }
    } finally {
      // the daemons (one holds the controller role) must never outlive the class
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private static void removeAppsPoolsAndSubnets() {
    for (int i = APPS.size() - 1; i >= 0; i--) {
      client.resource(APPS.get(i)).delete();
    }
    for (SpiderIPPool p : client.resources(SpiderIPPool.class).list().getItems()) {
      Map<String, String> labels = p.getMetadata().getLabels();
      if (labels != null
          && labels.containsKey(AutoPoolLabels.OWNER_SUBNET)
          && SUBNETS.contains(labels.get(AutoPoolLabels.OWNER_SUBNET))) {
        unfinalizeAndDelete(p);
      }
    }
    for (String n : SUBNETS) {
      SpiderSubnet s = client.resources(SpiderSubnet.class).withName(n).get();
      if (s != null) {
        unfinalizeAndDelete(s);
      }
    }
  }

  private static void unfinalizeAndDelete(HasMetadata o) {
    try {
      client
          .resource(o)
          .edit(
              x -> {
                x.getMetadata().setFinalizers(new ArrayList<>());
                return x;
              });
      client.resource(o).delete();
    } catch (RuntimeException e) {
      System.err.println("cleanup: " + o.getKind() + " " + o.getMetadata().getName() + ": " + e);
    }
  }

  private static void subnet(String name, String cidr, String ips, String gateway) {
    SpiderSubnet s = new SpiderSubnet();
    s.getMetadata().setName(name);
    SpiderSubnetSpec spec = new SpiderSubnetSpec();
    spec.setSubnet(cidr);
    spec.setIpVersion(cidr.contains(":") ? 6L : 4L);
    spec.setIps(List.of(ips));
    spec.setGateway(gateway);
    s.setSpec(spec);
    client.resource(s).create();
  }

  /**
   * A Deployment and its ReplicaSet with these template annotations, as kube-controller-manager
   * makes them.
   */
  private static ReplicaSet deployment(String name, int replicas, Map<String, String> annotations) {
    Deployment d =
        client
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(NS)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", name)
                    .withAnnotations(annotations)
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("c")
                    .withImage("registry.invalid/e2e:none")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    APPS.add(d);
    ReplicaSet rs =
        client
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(name + "-6d4f")
                    .withNamespace(NS)
                    .withOwnerReferences(
                        new OwnerReferenceBuilder()
                            .withApiVersion("apps/v1")
                            .withKind("Deployment")
                            .withName(name)
                            .withUid(d.getMetadata().getUid())
                            .withController(true)
                            .build())
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", name)
                    .withAnnotations(annotations)
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("c")
                    .withImage("registry.invalid/e2e:none")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    APPS.add(rs);
    return rs;
  }

  private static PodSandbox sandbox(Pod pod) {
    PodSandbox sb = PodSandbox.of(pod, cluster.runtime());
    SANDBOXES.add(sb);
    return sb;
  }

  private static SpiderIPPool autoPool(String app, String nic, String version) {
    await(app + " " + nic + " " + version + " auto-pool")
        .atMost(WAIT)
        .until(() -> !pools(app, nic, version).isEmpty());
    return pools(app, nic, version).get(0);
  }

  private static List<SpiderIPPool> pools(String app, String nic, String version) {
    return client
        .resources(SpiderIPPool.class)
        .withLabel(AutoPoolLabels.OWNER_NAMESPACE, NS)
        .withLabel(AutoPoolLabels.OWNER_NAME, app)
        .withLabel(AutoPoolLabels.INTERFACE, nic)
        .withLabel(AutoPoolLabels.IP_VERSION, version)
        .list()
        .getItems();
  }

  private static boolean inPool(SpiderIPPool pool, String cidrAddress) {
    IpAddress ip = Cidr.parsePrefixed(cidrAddress).address();
    return RangeList.parse("ips", pool.getSpec().getIps(), Cidr.parse(pool.getSpec().getSubnet()))
        .contains(ip);
  }

  @Test
  void aDeploymentsPodsOnBothNodesGetDualStackAddressesFromItsAutoPools() {
    ReplicaSet rs =
        deployment(
            "web",
            2,
            Map.of(
                "ipam.spidernet.io/subnet",
                "{\"ipv4\":[\"e2e-sub-v4\"],\"ipv6\":[\"e2e-sub-v6\"]}"));
    Set<String> seen = new HashSet<>();
    int i = 0;
    for (String node : TwoNodes.NODES) {
      Pod pod =
          fx.createRunning(
              ClusterFixtures.pod(NS, "web-6d4f-" + i++, node)
                  .label("app", "web")
                  .annotation(
                      "ipam.spidernet.io/subnet",
                      "{\"ipv4\":[\"e2e-sub-v4\"],\"ipv6\":[\"e2e-sub-v6\"]}")
                  .controlledBy(rs));
      PodSandbox sb = sandbox(pod);
      // the first ADD may come before the controller role made the pools: the agent waits for them
      CniResult r = sb.addOk(cluster.macvlan(node, List.of(), List.of()), "eth0");
      SpiderIPPool v4 = autoPool("web", "eth0", "IPv4");
      SpiderIPPool v6 = autoPool("web", "eth0", "IPv6");
      assertThat(r.addresses(4)).singleElement().satisfies(a -> assertThat(inPool(v4, a)).isTrue());
      assertThat(r.addresses(6)).singleElement().satisfies(a -> assertThat(inPool(v6, a)).isTrue());
      assertThat(seen.addAll(r.addresses(4))).isTrue();
      KernelView.assertMatches(sb.netns(), "eth0", r);
      records.assertRecorded(
          pod, "eth0", r, v4.getMetadata().getName(), v6.getMetadata().getName());
    }
    assertThat(autoPool("web", "eth0", "IPv4").getSpec().getIps())
        .as("replicas 2 + the default 1")
        .containsExactly("10.72.0.10-10.72.0.12");
  }

  @Test
  void aTwoNicWorkloadGetsEachNicsAddressFromItsOwnAutoPool() {
    String subnets =
        "[{\"interface\":\"eth0\",\"ipv4\":[\"e2e-sub-eth0\"]},"
            + "{\"interface\":\"net1\",\"ipv4\":[\"e2e-sub-net1\"]}]";
    ReplicaSet rs =
        deployment(
            "multi",
            1,
            Map.of(
                "ipam.spidernet.io/subnets", subnets, "ipam.spidernet.io/ippool-ip-number", "2"));
    Pod pod =
        fx.createRunning(
            ClusterFixtures.pod(NS, "multi-6d4f-0", "node-b")
                .label("app", "multi")
                .annotation("ipam.spidernet.io/subnets", subnets)
                .annotation("ipam.spidernet.io/ippool-ip-number", "2")
                .controlledBy(rs));
    PodSandbox sb = sandbox(pod);
    NetConf eth0 = cluster.macvlan("node-b", List.of(), List.of());
    NetConf net1 = cluster.bridge("node-b", List.of(), List.of());
    CniResult r0 = sb.addOk(eth0, "eth0");
    CniResult r1 = sb.addOk(net1, "net1");

    SpiderIPPool p0 = autoPool("multi", "eth0", "IPv4");
    SpiderIPPool p1 = autoPool("multi", "net1", "IPv4");
    assertThat(p0.getSpec().getSubnet()).isEqualTo("10.71.9.0/24");
    assertThat(p1.getSpec().getSubnet()).isEqualTo("10.70.9.0/24");
    assertThat(p1.getSpec().getIps()).as("fixed size 2").containsExactly("10.70.9.10-10.70.9.11");
    assertThat(r0.addresses(4)).singleElement().satisfies(a -> assertThat(inPool(p0, a)).isTrue());
    assertThat(r1.addresses(4)).singleElement().asString().startsWith("10.70.9.");
    KernelView.assertMatches(sb.netns(), "eth0", r0);
    KernelView.assertMatches(sb.netns(), "net1", r1);
    records.assertRecorded(pod, "eth0", r0, p0.getMetadata().getName(), null);
    records.assertRecorded(pod, "net1", r1, p1.getMetadata().getName(), null);
    assertThat(
            new PoolConsistency(client)
                .violations(
                    List.of(p0.getMetadata().getName(), p1.getMetadata().getName()),
                    List.of(NS),
                    List.of()))
        .isEmpty();
  }
}
