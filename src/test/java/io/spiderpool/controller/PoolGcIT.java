// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller;

import static io.spiderpool.controller.GcFixture.DOWN_NODE;
import static io.spiderpool.controller.GcFixture.READY_NODE;
import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.LOCAL;
import static io.spiderpool.testing.Waits.POLL;
import static io.spiderpool.testing.Waits.holdsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.controller.gc.PoolGcProbe;
import io.spiderpool.controller.subnet.SubnetReconciler;
import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderSubnetSpec;
import io.spiderpool.k8s.api.SpiderpoolApi;
import io.spiderpool.k8s.store.KubernetesPoolStore;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The controller role's IP GC, counters and finalizers against a real API server: the event cases
 * and the rows of the decision table that involve live objects (docs/gc.md, "The decision"; the
 * whole table is in {@code RecordGcTest}). Records are made by the real engine, as an agent makes
 * them; no DEL is ever sent, as when the Pod's node daemon is down. "Kept" is asserted after a
 * canary record in the same pool was released, which proves a reconcile ran after the kept record's
 * decisive change.
 */
@ExtendWith(ControlPlaneExtension.class)
class PoolGcIT {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static GcFixture fx;
  private static KubernetesClient admin;
  private final AtomicBoolean leader = new AtomicBoolean(true);
  private ControllerRole role;

  @BeforeAll
  static void fixture(LocalControlPlane cp) {
    admin = cp.client();
    fx = new GcFixture(admin, "gc-it");
  }

  @AfterAll
  static void cleanup() {
    fx.close();
  }

  @BeforeEach
  void startRole() {
    role = new ControllerRole(admin, ClusterConfig.DEFAULTS, GcSettings.DEFAULTS, leader::get);
    role.start();
  }

  @AfterEach
  void stopRole() {
    role.stop();
  }

  private void restartWith(GcSettings s) {
    role.stop();
    role = new ControllerRole(admin, ClusterConfig.DEFAULTS, s, leader::get);
    role.start();
  }

  /** A pool of its own for each test: 10.60.N.10-10.60.N.40. */
  private static String pool() {
    int n = SEQ.incrementAndGet();
    String name = "gc-it-" + n;
    fx.pool(name, "10.60." + n + ".0/24", List.of("10.60." + n + ".10-10.60." + n + ".40"), null);
    return name;
  }

  private static String pod() {
    return "p" + SEQ.incrementAndGet();
  }

  /**
   * Waits until the GC freed {@code ip}. The bound is {@link io.spiderpool.testing.Waits#CLUSTER}:
   * a release follows the event that makes it due, and the full scan (600 s) is far beyond it, so
   * passing proves the event path. How fast that path is, is measured by hack/bench-gc.sh.
   */
  private static void awaitReleased(String pool, String ip) {
    await(ip + " released from " + pool)
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> !fx.holds(pool, ip));
  }

  /**
   * Deletes a canary Pod holding an address of {@code pool}, waits until the GC freed it; its name.
   */
  private static String canaryReleased(String pool) {
    Pod c = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(c, pool);
    fx.deletePod(c.getMetadata().getName(), 0);
    awaitReleased(pool, ip);
    return c.getMetadata().getName();
  }

  @Test
  void deletedPodIsFreedWithoutAnyDelAndItsEndpointGoes() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    assertThat(fx.endpoint(p.getMetadata().getName()).getMetadata().getFinalizers())
        .as("the agent creates endpoints with the finalizer")
        .contains(SpiderpoolApi.FINALIZER);
    fx.deletePod(p.getMetadata().getName(), 0);
    awaitReleased(pool, ip);
    await("endpoint deleted")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> fx.endpoint(p.getMetadata().getName()) == null);
  }

  @Test
  void podDeletedWhileNoControllerRunsIsFreedByTheScanOnLeadershipStart() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), DOWN_NODE, null);
    String ip = fx.allocate(p, pool);
    role.stop();
    fx.deletePod(p.getMetadata().getName(), 0);
    holdsFor(
        "nobody frees it while no daemon holds the role",
        Duration.ofMillis(500),
        POLL,
        () -> assertThat(fx.holds(pool, ip)).isTrue());
    role.start();
    awaitReleased(pool, ip);
  }

  /**
   * An agent's endpoint create that timed out can be stored by the API server later — after the Pod
   * was deleted and the GC had already freed its address and found no endpoint to delete. No pool
   * record names that endpoint any more, so no pool pass reaches it: the role looks at a new
   * endpoint whose Pod it does not have on its own (EtcdStallFaultE2E's late endpoints).
   */
  @Test
  void anEndpointStoredAfterItsPodsAddressWasFreedIsDeletedToo() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String name = p.getMetadata().getName();
    String ip = fx.allocate(p, pool);
    SpiderEndpoint written = fx.endpoint(name);
    fx.deletePod(name, 0);
    awaitReleased(pool, ip);
    await("endpoint deleted")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> fx.endpoint(name) == null);
    admin.resource(storedAgain(written)).create();
    await("the endpoint stored late deleted")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> fx.endpoint(name) == null);
    assertThat(fx.holds(pool, ip)).isFalse();
  }

  /**
   * Endpoints left without their Pod and without a record before a term began (a clean-up the end
   * of the previous term cut off, or a create stored late while no daemon held the role) are
   * collected by the new term's sweep of its endpoint cache.
   */
  @Test
  void anEndpointLeftWithoutItsPodAndRecordIsDeletedWhenATermStarts() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String name = p.getMetadata().getName();
    String ip = fx.allocate(p, pool);
    role.stop();
    fx.deletePod(name, 0);
    // the previous term freed the record and ended before deleting the endpoint
    var store = new KubernetesPoolStore(admin);
    var snap = store.read(pool);
    store.writeRecords(pool, snap.resourceVersion(), snap.records().without(IpAddress.parse(ip)));
    holdsFor(
        "nobody deletes it while no daemon holds the role",
        Duration.ofMillis(500),
        POLL,
        () -> assertThat(fx.endpoint(name)).isNotNull());
    role.start();
    await("the endpoint without Pod and record deleted by the new term")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> fx.endpoint(name) == null);
  }

  /**
   * What an endpoint without a record is judged by: deleted only when its Pod is gone (on a fresh
   * read) and it is not a valid StatefulSet member's, whose next Pod takes its address over.
   */
  @Test
  void anEndpointOnItsOwnIsDeletedOnlyWhenItsPodIsGoneForGood() {
    String pool = pool();
    role.stop();
    StatefulSet sts = statefulSet("db", 1);
    var owner =
        new OwnerReferenceBuilder()
            .withApiVersion("apps/v1")
            .withKind("StatefulSet")
            .withName("db")
            .withUid(sts.getMetadata().getUid())
            .withController(true)
            .build();
    Pod member = fx.runningPod("db-0", READY_NODE, owner);
    Pod live = fx.runningPod(pod(), READY_NODE, null);
    Pod gone = fx.runningPod(pod(), READY_NODE, null);
    fx.allocate(member, pool);
    fx.allocate(live, pool);
    fx.allocate(gone, pool);
    fx.deletePod("db-0", 0);
    fx.deletePod(gone.getMetadata().getName(), 0);
    awaitPodsGone("db-0", gone.getMetadata().getName());
    PoolGcProbe.collectEndpoints(
        admin, fx.ns, List.of("db-0", live.getMetadata().getName(), gone.getMetadata().getName()));
    assertThat(fx.endpoint(gone.getMetadata().getName())).as("Pod gone").isNull();
    assertThat(fx.endpoint(live.getMetadata().getName())).as("Pod alive").isNotNull();
    assertThat(fx.endpoint("db-0")).as("valid StatefulSet member, Pod gone").isNotNull();
  }

  private static StatefulSet statefulSet(String name, int replicas) {
    return admin.resource(ClusterFixtures.statefulSetOf(fx.ns, name, replicas)).create();
  }

  private static void awaitFinalizer(String pool) {
    await("finalizer added")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(
            () ->
                admin
                    .resources(SpiderIPPool.class)
                    .withName(pool)
                    .get()
                    .getMetadata()
                    .getFinalizers()
                    .contains(SpiderpoolApi.FINALIZER));
  }

  /** Waits until none of the Pods {@code names} of the fixture's namespace exists any more. */
  private static void awaitPodsGone(String... names) {
    await("Pods gone: " + String.join(", ", names))
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(
            () ->
                Arrays.stream(names)
                    .allMatch(n -> admin.pods().inNamespace(fx.ns).withName(n).get() == null));
  }

  /** {@code e} as a create of it would store it again: no identity of the stored object. */
  private static SpiderEndpoint storedAgain(SpiderEndpoint e) {
    e.getMetadata().setResourceVersion(null);
    e.getMetadata().setUid(null);
    e.getMetadata().setCreationTimestamp(null);
    e.getMetadata().setManagedFields(null);
    e.getMetadata().setGeneration(null);
    return e;
  }

  @Test
  void startStopStartRunsAFreshTermEachTime() {
    String pool = pool();
    role.start(); // idempotent while running
    role.stop();
    role.stop(); // idempotent while stopped
    assertThat(role.running()).isFalse();
    role.start();
    assertThat(role.running()).isTrue();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    fx.deletePod(p.getMetadata().getName(), 0);
    awaitReleased(pool, ip);
  }

  @Test
  void nothingIsWrittenWhileTheFenceIsDown() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    leader.set(false);
    fx.deletePod(p.getMetadata().getName(), 0);
    holdsFor(
        "a process that lost the Lease writes nothing",
        Duration.ofMillis(1_500),
        POLL,
        () -> assertThat(fx.holds(pool, ip)).isTrue());
    leader.set(true);
    role.stop();
    role.start();
    awaitReleased(pool, ip);
  }

  @Test
  void terminatingPodIsFreedOnlyAfterDeletionTimestampPlusGrace() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    fx.deletePod(p.getMetadata().getName(), 2); // no kubelet: it stays terminating
    Pod terminating = admin.pods().inNamespace(fx.ns).withName(p.getMetadata().getName()).get();
    Instant deadline =
        Instant.parse(terminating.getMetadata().getDeletionTimestamp()).plusSeconds(2);
    canaryReleased(pool);
    assertThat(fx.holds(pool, ip)).as("kept within deletionTimestamp + grace").isTrue();
    awaitReleased(pool, ip);
    assertThat(Instant.now()).isAfterOrEqualTo(deadline);
  }

  @Test
  void succeededAndFailedPodsAreFreedAfterTheirGrace() {
    String pool = pool();
    Pod ok = fx.runningPod(pod(), READY_NODE, null);
    Pod bad = fx.runningPod(pod(), READY_NODE, null);
    String okIp = fx.allocate(ok, pool);
    String badIp = fx.allocate(bad, pool);
    fx.setStatus(ok, "Succeeded", "10.255.0.1", null, Instant.now().minusSeconds(5));
    fx.setStatus(bad, "Failed", "10.255.0.1", null, Instant.now().minusSeconds(5));
    awaitReleased(pool, okIp);
    awaitReleased(pool, badIp);
  }

  @Test
  void evictedPodIsFreed() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    fx.setStatus(p, "Failed", null, "Evicted", Instant.now().minusSeconds(1));
    awaitReleased(pool, ip);
  }

  @Test
  void terminatingPodOnANotReadyNodeFollowsItsSwitch() {
    String pool = pool();
    restartWith(
        new GcSettings(true, true, false, false, Duration.ZERO, Duration.ofSeconds(600), 3, 5));
    Pod p = fx.runningPod(pod(), DOWN_NODE, null);
    String ip = fx.allocate(p, pool);
    fx.deletePod(p.getMetadata().getName(), 1);
    // time passes on purpose: the zombie must be past its grace, so only the switch keeps it
    Pod terminating = admin.pods().inNamespace(fx.ns).withName(p.getMetadata().getName()).get();
    Instant graceEnds =
        Instant.parse(terminating.getMetadata().getDeletionTimestamp())
            .plusSeconds(terminating.getMetadata().getDeletionGracePeriodSeconds());
    await("past deletionTimestamp + grace (" + graceEnds + ")")
        .atMost(LOCAL)
        .pollInterval(POLL)
        .until(() -> Instant.now().isAfter(graceEnds));
    canaryReleased(pool);
    assertThat(fx.holds(pool, ip))
        .as("switch off: a zombie on a NotReady node keeps its address")
        .isTrue();

    restartWith(GcSettings.DEFAULTS);
    awaitReleased(pool, ip);
  }

  @Test
  void livePodsKeepTheirAddresses() {
    String pool = pool();
    Pod running = fx.runningPod(pod(), READY_NODE, null);
    Pod onDownNode = fx.runningPod(pod(), DOWN_NODE, null);
    Pod noIps = fx.runningPod(pod(), READY_NODE, null);
    Pod pending = fx.runningPod(pod(), READY_NODE, null);
    List<String> ips =
        List.of(
            fx.allocate(running, pool),
            fx.allocate(onDownNode, pool),
            fx.allocate(noIps, pool),
            fx.allocate(pending, pool));
    fx.setStatus(noIps, "Running", null, null, null);
    fx.setStatus(pending, "Pending", null, null, null);
    canaryReleased(pool);
    role.stop();
    role.start(); // and the full scan of a new term agrees
    canaryReleased(pool);
    assertThat(fx.records(pool).asMap()).containsOnlyKeys(ips);
  }

  @Test
  void unknownPodWithoutPodIpsIsFreed() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), DOWN_NODE, null);
    String ip = fx.allocate(p, pool);
    fx.setStatus(p, "Unknown", null, null, null);
    awaitReleased(pool, ip);
  }

  @Test
  void recordAndEndpointOfAnEarlierIncarnationAreFreed() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String name = p.getMetadata().getName();
    role.stop();
    String ip = fx.allocate(p, pool);
    fx.deletePod(name, 0);
    await("old Pod gone")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> admin.pods().inNamespace(fx.ns).withName(name).get() == null);
    Pod again = fx.runningPod(name, READY_NODE, null);
    assertThat(again.getMetadata().getUid()).isNotEqualTo(p.getMetadata().getUid());
    assertThat(fx.endpoint(name).getStatus().getCurrent().getUid())
        .isEqualTo(p.getMetadata().getUid());
    role.start();
    awaitReleased(pool, ip);
    await("stale endpoint deleted")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> fx.endpoint(name) == null);
  }

  @Test
  void statefulSetMemberKeepsItsAddressUntilScaledDown() {
    String pool = pool();
    StatefulSet sts = statefulSet("web", 2);
    var owner =
        new OwnerReferenceBuilder()
            .withApiVersion("apps/v1")
            .withKind("StatefulSet")
            .withName("web")
            .withUid(sts.getMetadata().getUid())
            .withController(true)
            .build();
    Pod web0 = fx.runningPod("web-0", READY_NODE, owner);
    Pod web1 = fx.runningPod("web-1", READY_NODE, owner);
    String ip0 = fx.allocate(web0, pool);
    String ip1 = fx.allocate(web1, pool);
    assertThat(fx.endpoint("web-1").getMetadata().getOwnerReferences())
        .as("a StatefulSet endpoint outlives its Pod")
        .isNullOrEmpty();
    fx.deletePod("web-1", 0);
    canaryReleased(pool);
    assertThat(fx.holds(pool, ip1))
        .as("web-1 is still a member: its next incarnation gets the address")
        .isTrue();

    admin.apps().statefulSets().inNamespace(fx.ns).withName("web").scale(1);
    awaitReleased(pool, ip1);
    await("web-1's endpoint deleted")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> fx.endpoint("web-1") == null);
    assertThat(fx.holds(pool, ip0)).isTrue();
  }

  @Test
  void poolWithRecordsStaysUntilTheyAreReleasedThenGoes() {
    String pool = pool();
    awaitFinalizer(pool);
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    admin.resources(SpiderIPPool.class).withName(pool).delete();
    holdsFor(
        "held by its finalizer while it has records",
        Duration.ofMillis(500),
        POLL,
        () -> {
          SpiderIPPool terminating = admin.resources(SpiderIPPool.class).withName(pool).get();
          assertThat(terminating).isNotNull();
          assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
        });
    fx.deletePod(p.getMetadata().getName(), 0);
    await("pool gone once " + ip + " is released")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> admin.resources(SpiderIPPool.class).withName(pool).get() == null);
  }

  /**
   * A terminating pool whose last record is removed by a status write that is not the GC's own (a
   * CNI DEL through an agent) loses its finalizer and goes: such a write changes neither metadata
   * nor counters (the agent keeps them exact) and brings no new record, and the pool's update
   * filter once let it pass unseen, leaving the pool to the full scan.
   */
  @Test
  void terminatingPoolEmptiedByAnAgentsWriteGoes() {
    String pool = pool();
    awaitFinalizer(pool);
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    admin.resources(SpiderIPPool.class).withName(pool).delete();
    holdsFor(
        "held by its finalizer while it has a record of a live Pod",
        Duration.ofMillis(500),
        POLL,
        () -> assertThat(admin.resources(SpiderIPPool.class).withName(pool).get()).isNotNull());
    // the Pod's DEL, as its agent writes it: the record goes, allocatedIPCount stays exact
    var store = new KubernetesPoolStore(admin);
    var snap = store.read(pool);
    store.writeRecords(pool, snap.resourceVersion(), snap.records().without(IpAddress.parse(ip)));
    await("pool gone once its last record went")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> admin.resources(SpiderIPPool.class).withName(pool).get() == null);
  }

  @Test
  void countersAreExact() {
    String pool = pool();
    int n = SEQ.get();
    editSpec(pool, spec -> spec.setExcludeIPs(List.of("10.60." + n + ".10-10.60." + n + ".11")));
    await("totalIPCount = 31 - 2")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> Long.valueOf(29).equals(status(pool).getTotalIPCount()));
    Pod a = fx.runningPod(pod(), READY_NODE, null);
    Pod b = fx.runningPod(pod(), READY_NODE, null);
    Pod c = fx.runningPod(pod(), READY_NODE, null);
    fx.allocate(a, pool);
    String ipB = fx.allocate(b, pool);
    fx.allocate(c, pool);
    await("allocatedIPCount 3")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> Long.valueOf(3).equals(status(pool).getAllocatedIPCount()));
    fx.deletePod(b.getMetadata().getName(), 0);
    awaitReleased(pool, ipB);
    assertThat(status(pool).getAllocatedIPCount()).isEqualTo(2L);
    editSpec(pool, spec -> spec.setIps(List.of("10.60." + n + ".10-10.60." + n + ".50")));
    await("totalIPCount follows spec.ips")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> Long.valueOf(39).equals(status(pool).getTotalIPCount()));
    assertThat(status(pool).getAllocatedIPCount()).isEqualTo(2L);
  }

  /** A spec edit that re-reads after a conflict (the controller writes the same object). */
  private static void editSpec(String pool, Consumer<SpiderIPPoolSpec> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        admin
            .resources(SpiderIPPool.class)
            .withName(pool)
            .edit(
                x -> {
                  change.accept(x.getSpec());
                  return x;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 10) {
          throw e;
        }
      }
    }
  }

  private static SpiderIPPoolStatus status(String pool) {
    var s = admin.resources(SpiderIPPool.class).withName(pool).get().getStatus();
    return s == null ? new SpiderIPPoolStatus() : s;
  }

  @Test
  void recordReassignedBetweenDecisionAndWriteIsNotFreed() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    role.stop();
    fx.deletePod(p.getMetadata().getName(), 0);
    awaitPodsGone(p.getMetadata().getName());
    // Between the GC's decision and its write, the address goes to another Pod (a DEL freed it,
    // an ADD took it): the release names the old UID and must leave the new owner's record alone.
    boolean[] reassigned = {false};
    PoolGcProbe.collectWithHook(
        admin,
        pool,
        () -> {
          if (!reassigned[0]) {
            reassigned[0] = true;
            var store = new KubernetesPoolStore(admin);
            var snap = store.read(pool);
            store.writeRecords(
                pool,
                snap.resourceVersion(),
                snap.records()
                    .with(
                        IpAddress.parse(ip), new PoolRecord(fx.ns + "/newcomer", "uid-newcomer")));
          }
        });
    assertThat(reassigned[0]).as("the hook ran between decision and write").isTrue();
    assertThat(fx.records(pool).asMap().get(ip))
        .isEqualTo(new PoolRecord(fx.ns + "/newcomer", "uid-newcomer"));
  }

  /**
   * A pass that judges on a pool copy from before an earlier pass's write (the role's watch has not
   * delivered it yet) finds the same dead Pod's record again: its write removes nothing, and it
   * must neither count nor log a second release (spiderpool_ip_gc_counts_total counted each such
   * record twice).
   */
  @Test
  void aRecordFreedByAnEarlierPassIsNotCountedAgain() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    String ip = fx.allocate(p, pool);
    role.stop();
    fx.deletePod(p.getMetadata().getName(), 0);
    awaitPodsGone(p.getMetadata().getName());
    int[] perPass = PoolGcProbe.collectTwiceOnOneCopy(admin, pool);
    assertThat(fx.holds(pool, ip)).as("%s freed", ip).isFalse();
    assertThat(perPass)
        .as("releases counted by the first and the second pass")
        .containsExactly(1, 0);
  }

  /**
   * After a burst of deletions one pass confirms many records. Where they cannot be confirmed by
   * listing their namespace (here: the lookup cannot list; in production: the namespace is too
   * large), each is still read fresh before it is freed — a record whose Pod the stale cache misses
   * but the API server has is kept — and the reads overlap instead of queueing one after another
   * (docs/gc.md, "Latency").
   */
  @Test
  void aBurstIsConfirmedRecordByRecordOnFreshReadsThatOverlap() {
    String pool = pool();
    List<Pod> pods = new ArrayList<>();
    Map<String, String> ipOf = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      Pod p = fx.runningPod(pod(), READY_NODE, null);
      pods.add(p);
      ipOf.put(p.getMetadata().getName(), fx.allocate(p, pool));
    }
    role.stop();
    List<Pod> deleted = pods.subList(0, 6);
    for (Pod p : deleted) {
      fx.deletePod(p.getMetadata().getName(), 0);
    }
    await("Pods gone")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(
            () ->
                deleted.stream()
                    .allMatch(
                        p ->
                            admin
                                    .pods()
                                    .inNamespace(fx.ns)
                                    .withName(p.getMetadata().getName())
                                    .get()
                                == null));
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch two = new CountDownLatch(2);
    PoolGcProbe.collectOnStaleCache(
        admin,
        pool,
        new HashSet<>(ipOf.keySet()), // the cache claims all twelve gone
        () -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          two.countDown();
          try {
            // a read waits (boundedly) for a second one to start; one after another, none does
            two.await(LOCAL.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          inFlight.decrementAndGet();
        });
    assertThat(most.get()).as("fresh Pod reads in flight at once").isGreaterThanOrEqualTo(2);
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      boolean gone = deleted.contains(p);
      assertThat(fx.holds(pool, ipOf.get(name)))
          .as("%s (%s) still holds its address", name, gone ? "deleted" : "live")
          .isEqualTo(!gone);
      if (gone) {
        assertThat(fx.endpoint(name)).as("endpoint of deleted %s", name).isNull();
      } else {
        assertThat(fx.endpoint(name)).as("endpoint of live %s", name).isNotNull();
      }
    }
  }

  /**
   * A burst in one namespace is confirmed with one LIST of its Pods and one of its endpoints, not a
   * GET per record, and the LIST is as fresh as the GETs: a record whose Pod the stale cache misses
   * but the API server has is kept, with its endpoint.
   */
  @Test
  void aBurstIsConfirmedOnOneListOfItsNamespace() {
    try (GcFixture own = new GcFixture(admin, "gc-it-list")) {
      String pool = "gc-it-list";
      own.pool(pool, "10.61.0.0/24", List.of("10.61.0.10-10.61.0.40"), null);
      List<Pod> pods = new ArrayList<>();
      Map<String, String> ipOf = new HashMap<>();
      for (int i = 0; i < 12; i++) {
        Pod p = own.runningPod("l" + i, READY_NODE, null);
        pods.add(p);
        ipOf.put(p.getMetadata().getName(), own.allocate(p, pool));
      }
      role.stop();
      List<Pod> deleted = pods.subList(0, 6);
      for (Pod p : deleted) {
        own.deletePod(p.getMetadata().getName(), 0);
      }
      await("Pods gone")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .until(() -> admin.pods().inNamespace(own.ns).list().getItems().size() == 6);
      PoolGcProbe.Reads reads =
          PoolGcProbe.collectOnStaleCacheCounting(
              admin, pool, new HashSet<>(ipOf.keySet())); // the cache claims all twelve gone
      assertThat(reads)
          .as("one LIST of Pods and one of endpoints, no GET per record")
          .isEqualTo(new PoolGcProbe.Reads(0, 0, 1, 1));
      for (Pod p : pods) {
        String name = p.getMetadata().getName();
        boolean gone = deleted.contains(p);
        assertThat(own.holds(pool, ipOf.get(name)))
            .as("%s (%s) still holds its address", name, gone ? "deleted" : "live")
            .isEqualTo(!gone);
        if (gone) {
          assertThat(own.endpoint(name)).as("endpoint of deleted %s", name).isNull();
        } else {
          assertThat(own.endpoint(name)).as("endpoint of live %s", name).isNotNull();
        }
      }
      assertThat(PoolGcProbe.listedPods(admin, own.ns, 6))
          .as("a namespace listed whole")
          .containsExactlyInAnyOrder("l6", "l7", "l8", "l9", "l10", "l11");
      assertThat(PoolGcProbe.listedPods(admin, own.ns, 5))
          .as(
              "a namespace holding more than the limit is not listed (its records are read one"
                  + " by one)")
          .isNull();
    }
  }

  /**
   * Agents' status writes wake the pool only when they matter (PoolReconciler.poolChangeMatters): a
   * record whose Pod is already gone when it reaches the pool — the Pod's own events found no pool
   * to wake — must still be freed at once, not at the next full scan.
   */
  @Test
  void recordOfAPodGoneBeforeTheRecordArrivedIsFreedAtOnce() {
    String pool = pool();
    String ip = "10.60." + SEQ.get() + ".33";
    String canary = canaryReleased(pool); // the role has seen the pool and settled it
    // and the canary's last events (its endpoint's removal) have been handled, so none of them
    // can be what wakes the pool for the record written below
    await("the canary's endpoint deleted")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> fx.endpoint(canary) == null);
    var poolRes = admin.resources(SpiderIPPool.class).withName(pool);
    String settled = poolRes.get().getMetadata().getResourceVersion();
    holdsFor(
        "no further write to the pool",
        Duration.ofSeconds(1),
        POLL,
        () -> assertThat(poolRes.get().getMetadata().getResourceVersion()).isEqualTo(settled));
    var store = new KubernetesPoolStore(admin);
    var snap = store.read(pool);
    store.writeRecords(
        pool,
        snap.resourceVersion(),
        snap.records()
            .with(IpAddress.parse(ip), new PoolRecord(fx.ns + "/never-seen", "uid-never-seen")));
    awaitReleased(pool, ip); // within CLUSTER, far before the full scan
  }

  /**
   * A status write with a wrong allocatedIPCount (say, from another agent version) is corrected.
   */
  @Test
  void aWrongAllocatedCountWrittenByAnAgentIsCorrected() {
    String pool = pool();
    Pod p = fx.runningPod(pod(), READY_NODE, null);
    fx.allocate(p, pool);
    await("allocatedIPCount 1")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> Long.valueOf(1).equals(status(pool).getAllocatedIPCount()));
    for (int attempt = 0; ; attempt++) {
      try {
        SpiderIPPool cur = admin.resources(SpiderIPPool.class).withName(pool).get();
        cur.getStatus().setAllocatedIPCount(7L);
        admin.resource(cur).updateStatus();
        break;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 10) {
          throw e;
        }
      }
    }
    await("allocatedIPCount back to 1")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> Long.valueOf(1).equals(status(pool).getAllocatedIPCount()));
  }

  @Test
  void subnetKeepsItsFinalizerWhileAPoolReferencesIt() {
    var subnet = new SpiderSubnet();
    subnet.getMetadata().setName("gc-it-subnet");
    var spec = new SpiderSubnetSpec();
    spec.setSubnet("10.61.0.0/24");
    spec.setIpVersion(4L);
    spec.setIps(List.of("10.61.0.10-10.61.0.29"));
    spec.setExcludeIPs(List.of("10.61.0.10"));
    subnet.setSpec(spec);
    var subnets = admin.resources(SpiderSubnet.class);
    subnets.resource(subnet).create();
    await("subnet finalizer and totalIPCount 19")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(
            () -> {
              var s = subnets.withName("gc-it-subnet").get();
              return s.getMetadata().getFinalizers().contains(SpiderpoolApi.FINALIZER)
                  && s.getStatus() != null
                  && Long.valueOf(19).equals(s.getStatus().getTotalIPCount());
            });
    String pool = pool();
    var res = admin.resources(SpiderIPPool.class).withName(pool);
    for (int attempt = 0; ; attempt++) {
      try {
        res.edit(
            x -> {
              if (x.getMetadata().getLabels() == null) {
                x.getMetadata().setLabels(new HashMap<>());
              }
              x.getMetadata().getLabels().put(SubnetReconciler.OWNER_LABEL, "gc-it-subnet");
              return x;
            });
        break;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 10) {
          throw e;
        }
      }
    }
    subnets.withName("gc-it-subnet").delete();
    canaryReleased(pool);
    assertThat(subnets.withName("gc-it-subnet").get())
        .as("held while pool " + pool + " references it")
        .isNotNull();
    res.delete();
    await("pool gone").atMost(CLUSTER).pollInterval(POLL).until(() -> res.get() == null);
    await("subnet gone once no pool references it")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> subnets.withName("gc-it-subnet").get() == null);
  }
}
