// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.api.SpiderReservedIPSpec;
import io.spiderpool.k8s.store.KubernetesEndpointStore;
import io.spiderpool.k8s.store.KubernetesIpam;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The allocation engine against a real API server: records in SpiderIPPool status, endpoints,
 * idempotency, release, exhaustion, reserved/excluded addresses, StatefulSet stickiness and
 * concurrent allocation from two engines acting as two nodes.
 */
@ExtendWith(ControlPlaneExtension.class)
class IpamEngineIT {
  private static final String NS = "engine-it";
  private static KubernetesClient nodeA;
  private static KubernetesClient nodeB;
  private static KubernetesIpam ipamA;
  private static KubernetesIpam ipamB;
  private static KubernetesClient admin;

  @BeforeAll
  static void start(LocalControlPlane cp) {
    admin = cp.client();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    nodeA = cp.newClient();
    nodeB = cp.newClient();
    ipamA = new KubernetesIpam(nodeA, EngineSettings.defaults(ClusterConfig.DEFAULTS));
    ipamB = new KubernetesIpam(nodeB, EngineSettings.defaults(ClusterConfig.DEFAULTS));
  }

  @AfterAll
  static void stop() {
    ipamA.close();
    ipamB.close();
    nodeA.close();
    nodeB.close();
  }

  private static void pool(
      String name, String subnet, List<String> ips, List<String> exclude, String gateway) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(name);
    SpiderIPPoolSpec s = new SpiderIPPoolSpec();
    s.setSubnet(subnet);
    s.setIpVersion(subnet.contains(":") ? 6L : 4L);
    s.setIps(ips);
    s.setExcludeIPs(exclude);
    s.setGateway(gateway);
    p.setSpec(s);
    admin.resource(p).create();
    waitUntilSeen(name);
  }

  private static void waitUntilSeen(String pool) {
    await("pool " + pool + " in both nodes' watch caches")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> ipamA.knowsPool(pool) && ipamB.knowsPool(pool));
  }

  private static Pod pod(String name, String node, Map<String, String> annotations) {
    return admin
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("c")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private static AddRequest add(Pod p, String nic, List<String> v4, List<String> v6) {
    return new AddRequest(
        "cid-" + p.getMetadata().getName(),
        nic,
        "/var/run/netns/x",
        NS,
        p.getMetadata().getName(),
        p.getMetadata().getUid(),
        v4,
        v6,
        false,
        false);
  }

  private static PoolRecords records(String pool) {
    SpiderIPPool p = admin.resources(SpiderIPPool.class).withName(pool).get();
    return PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
  }

  @Test
  void allocatesLowestFreeRecordsItAndIsIdempotent() {
    pool(
        "basic-v4",
        "10.50.0.0/24",
        List.of("10.50.0.10-10.50.0.20"),
        List.of("10.50.0.10"),
        "10.50.0.1");
    Pod p = pod("basic-a", "node-a", Map.of());
    AddResult r = ipamA.engine().allocate(add(p, "eth0", List.of("basic-v4"), List.of()));
    assertThat(r.ips()).extracting(AddResult.IpConfig::address).containsExactly("10.50.0.11/24");
    assertThat(r.routes()).contains(new AddResult.RouteConfig("eth0", "0.0.0.0/0", "10.50.0.1"));
    assertThat(records("basic-v4").asMap()).containsOnlyKeys("10.50.0.11");
    assertThat(records("basic-v4").asMap().get("10.50.0.11").podUid())
        .isEqualTo(p.getMetadata().getUid());
    SpiderEndpoint ep =
        admin.resources(SpiderEndpoint.class).inNamespace(NS).withName("basic-a").get();
    assertThat(ep.getStatus().getCurrent().getIps().get(0).getIpv4()).isEqualTo("10.50.0.11/24");

    long writes = ipamA.committer().writes();
    assertThat(ipamA.engine().allocate(add(p, "eth0", List.of("basic-v4"), List.of())))
        .isEqualTo(r);
    assertThat(ipamA.committer().writes()).as("a repeated ADD writes nothing").isEqualTo(writes);

    ReleaseRequest del =
        new ReleaseRequest("cid", "eth0", "", NS, "basic-a", p.getMetadata().getUid(), false);
    ipamA.engine().release(del);
    assertThat(records("basic-v4").size())
        .as("a DEL for a live Pod keeps its addresses")
        .isEqualTo(1);
    admin.pods().inNamespace(NS).withName("basic-a").withGracePeriod(0).delete();
    waitGone("basic-a");
    ipamA.engine().release(del);
    assertThat(records("basic-v4").size()).isZero();
    assertThat(admin.resources(SpiderEndpoint.class).inNamespace(NS).withName("basic-a").get())
        .isNull();
    ipamA.engine().release(del); // a second DEL succeeds
  }

  private static void waitGone(String pod) {
    await("Pod " + pod + " deleted")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> admin.pods().inNamespace(NS).withName(pod).get() == null);
  }

  @Test
  void dualStackIsAllOrNothing() {
    pool("ds-v4", "10.51.0.0/24", List.of("10.51.0.10-10.51.0.12"), null, null);
    pool("ds-v6", "fd00:51::/64", List.of("fd00:51::10"), null, "fd00:51::1");
    Pod a = pod("ds-a", "node-a", Map.of());
    AddResult r = ipamA.engine().allocate(add(a, "eth0", List.of("ds-v4"), List.of("ds-v6")));
    assertThat(r.ips())
        .extracting(AddResult.IpConfig::address)
        .containsExactly("10.51.0.10/24", "fd00:51::10/64");

    Pod b = pod("ds-b", "node-b", Map.of());
    assertThatThrownBy(
            () -> ipamB.engine().allocate(add(b, "eth0", List.of("ds-v4"), List.of("ds-v6"))))
        .isInstanceOf(PoolExhaustedException.class)
        .hasMessageContaining("ds-v6");
    assertThat(records("ds-v4").asMap())
        .as("the IPv4 address taken for ds-b was given back")
        .containsOnlyKeys("10.51.0.10");
  }

  @Test
  void excludedAndReservedAddressesAreNeverHandedOut() {
    SpiderReservedIP res = new SpiderReservedIP();
    res.getMetadata().setName("res-52");
    SpiderReservedIPSpec rs = new SpiderReservedIPSpec();
    rs.setIpVersion(4L);
    rs.setIps(List.of("10.52.0.12"));
    res.setSpec(rs);
    admin.resource(res).create();
    pool("res-v4", "10.52.0.0/24", List.of("10.52.0.10-10.52.0.14"), List.of("10.52.0.11"), null);
    await("SpiderReservedIP res-52 in the watch cache")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> ipamA.knowsReserved(IpAddress.parse("10.52.0.12")));
    Set<String> got = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      Pod p = pod("res-" + i, "node-a", Map.of());
      got.add(
          ipamA
              .engine()
              .allocate(add(p, "eth0", List.of("res-v4"), List.of()))
              .ips()
              .get(0)
              .address());
    }
    assertThat(got).containsExactlyInAnyOrder("10.52.0.10/24", "10.52.0.13/24", "10.52.0.14/24");
    Pod full = pod("res-full", "node-a", Map.of());
    assertThatThrownBy(
            () -> ipamA.engine().allocate(add(full, "eth0", List.of("res-v4"), List.of())))
        .isInstanceOf(PoolExhaustedException.class)
        .hasMessageContaining("res-v4")
        .hasMessageContaining("all IP addresses used out");
  }

  @Test
  void statefulSetPodKeepsItsAddressAcrossRecreation() {
    pool("sts-v4", "10.53.0.0/24", List.of("10.53.0.10-10.53.0.20"), null, null);
    var sts =
        admin
            .resource(
                new StatefulSetBuilder()
                    .withNewMetadata()
                    .withName("db")
                    .withNamespace(NS)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(2)
                    .withServiceName("db")
                    .withNewSelector()
                    .addToMatchLabels("app", "db")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "db")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("c")
                    .withImage("x")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    Pod first = stsPod(sts.getMetadata().getUid());
    AddResult r1 = ipamA.engine().allocate(add(first, "eth0", List.of("sts-v4"), List.of()));
    admin.pods().inNamespace(NS).withName("db-1").withGracePeriod(0).delete();
    waitGone("db-1");
    ipamA
        .engine()
        .release(
            new ReleaseRequest("c", "eth0", "", NS, "db-1", first.getMetadata().getUid(), false));
    assertThat(records("sts-v4").size()).as("a StatefulSet member keeps its address").isEqualTo(1);

    Pod second = stsPod(sts.getMetadata().getUid());
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    AddResult r2 = ipamB.engine().allocate(add(second, "eth0", List.of("sts-v4"), List.of()));
    assertThat(r2.ips()).isEqualTo(r1.ips());
    assertThat(records("sts-v4").asMap().values())
        .extracting(rec -> rec.podUid())
        .containsExactly(second.getMetadata().getUid());
  }

  @Test
  void statefulSetPodWhosePoolChangedGetsAnAddressFromTheNewPool() {
    pool("sts-old", "10.55.0.0/24", List.of("10.55.0.10-10.55.0.20"), null, null);
    pool("sts-new", "10.56.0.0/24", List.of("10.56.0.10-10.56.0.20"), null, null);
    var sts =
        admin
            .resource(
                new StatefulSetBuilder()
                    .withNewMetadata()
                    .withName("web")
                    .withNamespace(NS)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .withServiceName("web")
                    .withNewSelector()
                    .addToMatchLabels("app", "web")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "web")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("c")
                    .withImage("x")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    Pod first = stsPod("web-0", sts.getMetadata().getUid(), "{\"ipv4\":[\"sts-old\"]}");
    ipamA.engine().allocate(add(first, "eth0", List.of(), List.of()));
    admin.pods().inNamespace(NS).withName("web-0").withGracePeriod(0).delete();
    waitGone("web-0");
    Pod second = stsPod("web-0", sts.getMetadata().getUid(), "{\"ipv4\":[\"sts-new\"]}");
    AddResult r = ipamA.engine().allocate(add(second, "eth0", List.of(), List.of()));
    assertThat(r.ips()).extracting(AddResult.IpConfig::address).containsExactly("10.56.0.10/24");
    assertThat(records("sts-old").size()).as("the old pool's address was released").isZero();
  }

  private static Pod stsPod(String name, String stsUid, String ippool) {
    return admin
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .addToAnnotations("ipam.spidernet.io/ippool", ippool)
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("StatefulSet")
                .withName(name.substring(0, name.lastIndexOf('-')))
                .withUid(stsUid)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-a")
                .addNewContainer()
                .withName("c")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private static Pod stsPod(String stsUid) {
    return admin
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("db-1")
                .withNamespace(NS)
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("StatefulSet")
                .withName("db")
                .withUid(stsUid)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-a")
                .addNewContainer()
                .withName("c")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  @Test
  void hundredConcurrentPodsFromTwoNodesGetDistinctAddresses() throws Exception {
    pool("burst-v4", "10.54.0.0/24", List.of("10.54.0.1-10.54.0.200"), null, null);
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      pods.add(pod("burst-" + i, i % 2 == 0 ? "node-a" : "node-b", Map.of()));
    }
    long writesBefore = ipamA.committer().writes() + ipamB.committer().writes();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<Future<AddResult>> results = new ArrayList<>();
    for (int i = 0; i < pods.size(); i++) {
      KubernetesIpam ipam = i % 2 == 0 ? ipamA : ipamB;
      Pod p = pods.get(i);
      results.add(
          pool.submit(
              () -> ipam.engine().allocate(add(p, "eth0", List.of("burst-v4"), List.of()))));
    }
    Set<String> addresses = new HashSet<>();
    for (Future<AddResult> f : results) {
      addresses.add(f.get().ips().get(0).address());
    }
    pool.shutdown();
    long writes = ipamA.committer().writes() + ipamB.committer().writes() - writesBefore;
    assertThat(addresses).hasSize(100);
    assertThat(records("burst-v4").size()).isEqualTo(100);
    assertThat(writes).as("coalescing: far fewer status writes than allocations").isLessThan(100);
    System.err.printf(
        "100 concurrent allocations: %d pool status writes, %d conflicts%n",
        writes, ipamA.committer().conflicts() + ipamB.committer().conflicts());
  }

  /**
   * A first ADD creates the endpoint without reading it first; a daemon that restarted has no
   * memory of the endpoints it wrote, so a repeat ADD takes that path, finds the endpoint there,
   * and must answer the recorded address without giving back the record the endpoint names.
   */
  @Test
  void aRepeatAddOnARestartedDaemonAnswersTheRecordedAddressAndKeepsItsRecord() {
    pool("again-v4", "10.55.0.0/24", List.of("10.55.0.10-10.55.0.20"), null, null);
    Pod p = pod("again-a", "node-a", Map.of());
    AddResult r = ipamA.engine().allocate(add(p, "eth0", List.of("again-v4"), List.of()));
    try (KubernetesIpam restarted =
        new KubernetesIpam(nodeA, EngineSettings.defaults(ClusterConfig.DEFAULTS))) {
      awaitKnown(restarted, "again-v4");
      assertThat(restarted.engine().allocate(add(p, "eth0", List.of("again-v4"), List.of())))
          .isEqualTo(r);
    }
    assertThat(records("again-v4").asMap()).containsOnlyKeys("10.55.0.10");
    assertThat(records("again-v4").asMap().get("10.55.0.10").podUid())
        .isEqualTo(p.getMetadata().getUid());
  }

  /**
   * The second NIC's ADD on a restarted daemon: from the same pool the Pod's UID already holds an
   * address (eth0's) — it must stay eth0's; from another pool the address taken before the endpoint
   * turned out to exist is given back. Either way exactly one record per NIC remains.
   */
  @Test
  void aSecondNicOnARestartedDaemonKeepsTheFirstNicsAddress() {
    pool("nic-a-v4", "10.56.0.0/24", List.of("10.56.0.10-10.56.0.20"), null, null);
    pool("nic-b-v4", "10.57.0.0/24", List.of("10.57.0.10-10.57.0.20"), null, null);
    Pod same = pod("nics-same", "node-a", Map.of());
    Pod other = pod("nics-other", "node-a", Map.of());
    String eth0Same =
        ipamA
            .engine()
            .allocate(add(same, "eth0", List.of("nic-a-v4"), List.of()))
            .ips()
            .get(0)
            .address();
    ipamA.engine().allocate(add(other, "eth0", List.of("nic-a-v4"), List.of()));
    try (KubernetesIpam restarted =
        new KubernetesIpam(nodeA, EngineSettings.defaults(ClusterConfig.DEFAULTS))) {
      awaitKnown(restarted, "nic-a-v4");
      awaitKnown(restarted, "nic-b-v4");
      String net1Same =
          restarted
              .engine()
              .allocate(add(same, "net1", List.of("nic-a-v4"), List.of()))
              .ips()
              .stream()
              .filter(ip -> "net1".equals(ip.nic()))
              .findFirst()
              .orElseThrow()
              .address();
      restarted.engine().allocate(add(other, "net1", List.of("nic-b-v4"), List.of()));
      assertThat(net1Same).isNotEqualTo(eth0Same);
    }
    SpiderEndpoint ep =
        admin.resources(SpiderEndpoint.class).inNamespace(NS).withName("nics-same").get();
    assertThat(ep.getStatus().getCurrent().getIps())
        .extracting(d -> d.getInterface() + "=" + d.getIpv4())
        .containsExactly("eth0=" + eth0Same, "net1=10.56.0.12/24");
    assertThat(records("nic-a-v4").asMap())
        .containsOnlyKeys("10.56.0.10", "10.56.0.11", "10.56.0.12");
    assertThat(records("nic-b-v4").asMap()).containsOnlyKeys("10.57.0.10");
    assertThat(records("nic-b-v4").asMap().get("10.57.0.10").podUid())
        .isEqualTo(other.getMetadata().getUid());
  }

  /**
   * Simultaneous ADDs of one Pod and NIC (a runtime retrying) settle on one address and one record.
   */
  @Test
  void simultaneousAddsOfOnePodHoldOneAddress() throws Exception {
    pool("dup-v4", "10.58.0.0/24", List.of("10.58.0.10-10.58.0.40"), null, null);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        Pod p = pod("dup-" + round, "node-a", Map.of());
        List<Future<AddResult>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          fs.add(
              threads.submit(
                  () -> ipamA.engine().allocate(add(p, "eth0", List.of("dup-v4"), List.of()))));
        }
        Set<String> got = new HashSet<>();
        for (Future<AddResult> f : fs) {
          got.add(f.get().ips().get(0).address());
        }
        assertThat(got).as("round %d", round).hasSize(1);
        List<String> held =
            records("dup-v4").asMap().entrySet().stream()
                .filter(e -> e.getValue().podUid().equals(p.getMetadata().getUid()))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(held)
            .as("round %d", round)
            .containsExactly(got.iterator().next().replace("/24", ""));
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * The runtime's late DEL of a force-deleted Pod's old container, after the Pod was re-created
   * under the same name and got its address: the new incarnation keeps address, record and
   * endpoint, on the single and on the batch path, and the next Pod gets another address.
   */
  @Test
  void aLateDelOfAForceDeletedPodsOldContainerKeepsTheRecreatedPodsAddress() {
    pool("late-v4", "10.59.0.0/24", List.of("10.59.0.10-10.59.0.20"), null, null);
    Pod first = pod("late-x", "node-a", Map.of());
    ipamA.engine().allocate(add(first, "eth0", List.of("late-v4"), List.of()));
    admin.pods().inNamespace(NS).withName("late-x").withGracePeriod(0).delete();
    waitGone("late-x");
    Pod second = pod("late-x", "node-a", Map.of());
    String ip =
        ipamB
            .engine()
            .allocate(add(second, "eth0", List.of("late-v4"), List.of()))
            .ips()
            .get(0)
            .address();
    String oldUid = first.getMetadata().getUid();
    ipamA.engine().release(new ReleaseRequest("cid-old", "eth0", "", NS, "late-x", oldUid, false));
    ipamA.engine().release(new ReleaseRequest("cid-old", null, "", NS, "late-x", oldUid, false));
    ipamA.engine().release(new ReleaseRequest("cid-old", null, "", NS, "late-x", oldUid, true));
    String bare = ip.substring(0, ip.indexOf('/'));
    assertThat(records("late-v4").asMap()).containsOnlyKeys(bare);
    assertThat(records("late-v4").asMap().get(bare).podUid())
        .isEqualTo(second.getMetadata().getUid());
    SpiderEndpoint ep =
        admin.resources(SpiderEndpoint.class).inNamespace(NS).withName("late-x").get();
    assertThat(ep).as("the re-created Pod's SpiderEndpoint").isNotNull();
    assertThat(ep.getStatus().getCurrent().getUid()).isEqualTo(second.getMetadata().getUid());
    Pod next = pod("late-y", "node-a", Map.of());
    assertThat(
            ipamA
                .engine()
                .allocate(add(next, "eth0", List.of("late-v4"), List.of()))
                .ips()
                .get(0)
                .address())
        .isNotEqualTo(ip);
  }

  /** The endpoint store deletes only the incarnation it is told, against the real API server. */
  @Test
  void anEndpointIsDeletedOnlyForTheIncarnationNamed() {
    var store = new KubernetesEndpointStore(admin);
    EndpointRecord mine =
        new EndpointRecord(
            NS, "ep-incarnation", "uid-1", "node-a", "StatefulSet", "ep", List.of(), true, null);
    store.create(mine);
    assertThatThrownBy(() -> store.create(mine)).isInstanceOf(EndpointStore.AlreadyExists.class);
    assertThat(store.delete(NS, "ep-incarnation", "uid-2"))
        .as("another incarnation's delete")
        .isFalse();
    assertThat(store.get(NS, "ep-incarnation").uid()).isEqualTo("uid-1");
    assertThat(store.delete(NS, "ep-incarnation", "uid-1")).isTrue();
    assertThat(
            admin.resources(SpiderEndpoint.class).inNamespace(NS).withName("ep-incarnation").get())
        .isNull();
    assertThat(store.delete(NS, "ep-incarnation", "uid-1")).as("absent").isFalse();
  }

  private static void awaitKnown(KubernetesIpam ipam, String pool) {
    await("pool " + pool + " in the new watch cache")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> ipam.knowsPool(pool));
  }
}
