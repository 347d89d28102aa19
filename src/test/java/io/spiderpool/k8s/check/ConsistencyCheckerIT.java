// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.GcFixture;
import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.api.SpiderReservedIPSpec;
import io.spiderpool.k8s.check.Inconsistency.Kind;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The consistency checker against the real API server: every kind of inconsistency is planted by
 * writing the objects as a broken agent or a hand edit would, found with its fields, and the safe
 * fixes repair exactly what they may and nothing that changed after the check. The control plane is
 * shared by the run, so assertions look only at this class's pools (10.151.N.0/24) and namespace.
 */
@ExtendWith(ControlPlaneExtension.class)
class ConsistencyCheckerIT {
  private static final String NS = "check-it";
  private static GcFixture fx;
  private static KubernetesClient admin;
  private static int seq;

  @BeforeAll
  static void fixture(LocalControlPlane cp) {
    admin = cp.client();
    fx = new GcFixture(admin, NS);
  }

  @AfterAll
  static void cleanup() {
    admin.resources(SpiderReservedIP.class).withName("check-it-reserved").delete();
    fx.close();
  }

  private static String pool(List<String> ips, List<String> exclude) {
    int n = ++seq;
    String name = "check-it-" + n;
    fx.pool(name, "10.151." + n + ".0/24", ips(n, ips), ips(n, exclude));
    return name;
  }

  /** {@code "10-20"} → {@code 10.151.n.10-10.151.n.20}. */
  private static List<String> ips(int n, List<String> parts) {
    if (parts == null) {
      return null;
    }
    String p = "10.151." + n + ".";
    return parts.stream().map(s -> s.contains("-") ? p + s.replace("-", "-" + p) : p + s).toList();
  }

  private static String net(String pool) {
    return "10.151." + pool.substring(pool.lastIndexOf('-') + 1) + ".";
  }

  /** Rewrites a pool's records and counter as a hand edit would; {@code count} null = right. */
  private static void edit(String pool, UnaryOperator<PoolRecords> change, Long count) {
    SpiderIPPool p = admin.resources(SpiderIPPool.class).withName(pool).get();
    PoolRecords next =
        change.apply(
            PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs()));
    if (p.getStatus() == null) {
      p.setStatus(new SpiderIPPoolStatus());
    }
    p.getStatus().setAllocatedIPs(next.toJson());
    p.getStatus().setAllocatedIPCount(count == null ? next.size() : count);
    admin.resource(p).updateStatus();
  }

  private static String key(Pod p) {
    return NS + "/" + p.getMetadata().getName();
  }

  /**
   * What the report says about {@code pools} or about the Pods named {@code pods}: other tests of
   * the run leave their own objects behind.
   */
  private static List<Inconsistency> mine(
      ConsistencyReport r, List<String> pools, List<String> pods) {
    return r.found().stream()
        .filter(
            i ->
                pools.stream().anyMatch(p -> List.of(i.pool().split(",")).contains(p))
                    || pods.stream().anyMatch(p -> i.pod().equals(NS + "/" + p)))
        .toList();
  }

  @Test
  void aConsistentAllocationReportsNothing() {
    String pool = pool(List.of("10-20"), null);
    Pod pod = fx.runningPod("ok-1", GcFixture.READY_NODE, null);
    String ip = fx.allocate(pod, pool);
    assertThat(ip).startsWith(net(pool));
    ConsistencyReport r = new ConsistencyChecker(admin).check();
    assertThat(mine(r, List.of(pool), List.of("ok-1"))).isEmpty();
    assertThat(r.records()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void findsEveryPlantedKindAndFixesOnlyTheSafeOnes() {
    String a = pool(List.of("10-30"), List.of("30"));
    String na = net(a);
    // b overlaps a (no webhook runs here to refuse it), so an address can be recorded in both
    String b = "check-it-" + (++seq);
    fx.pool(b, na + "0/24", List.of(na + "10-" + na + "30"), null);

    // record without endpoint, for a live Pod
    Pod noEp = fx.runningPod("no-ep", GcFixture.READY_NODE, null);
    edit(
        a,
        r ->
            r.with(
                IpAddress.parse(na + "20"), new PoolRecord(key(noEp), noEp.getMetadata().getUid())),
        null);

    // endpoint without record: a real allocation whose record is then lost
    Pod noRec = fx.runningPod("no-rec", GcFixture.READY_NODE, null);
    String lost = fx.allocate(noRec, a);
    edit(a, r -> r.without(IpAddress.parse(lost)), null);

    // record and endpoint of a dead Pod: allocated, then the Pod is deleted (no GC runs here)
    Pod dead = fx.runningPod("dead", GcFixture.READY_NODE, null);
    String deadIp = fx.allocate(dead, a);
    fx.deletePod("dead", 0);

    // address in two pools: a live Pod's address recorded in b as well
    Pod twice = fx.runningPod("twice", GcFixture.READY_NODE, null);
    String twiceIp = fx.allocate(twice, a);
    edit(
        b,
        r ->
            r.with(
                IpAddress.parse(twiceIp), new PoolRecord(key(twice), twice.getMetadata().getUid())),
        null);

    // records outside the ranges: one excluded, one not in spec.ips
    Pod out = fx.runningPod("out", GcFixture.READY_NODE, null);
    String uidOut = out.getMetadata().getUid();
    edit(
        a,
        r ->
            r.with(IpAddress.parse(na + "30"), new PoolRecord(key(out), uidOut))
                .with(IpAddress.parse(na + "99"), new PoolRecord(key(out), uidOut)),
        null);

    // a reserved address recorded
    SpiderReservedIP res = new SpiderReservedIP();
    res.getMetadata().setName("check-it-reserved");
    SpiderReservedIPSpec rs = new SpiderReservedIPSpec();
    rs.setIpVersion(4L);
    rs.setIps(List.of(na + "25"));
    res.setSpec(rs);
    admin.resource(res).create();
    edit(a, r -> r.with(IpAddress.parse(na + "25"), new PoolRecord(key(out), uidOut)), null);

    // counters wrong on b
    edit(b, r -> r, 7L);

    ConsistencyChecker checker = new ConsistencyChecker(admin);
    ConsistencyReport report = checker.check();
    List<String> pools = List.of(a, b);
    List<String> pods = List.of("no-ep", "no-rec", "dead", "twice", "out");
    List<Inconsistency> found = mine(report, pools, pods);

    assertThat(found)
        .filteredOn(i -> i.kind() == Kind.RECORD_WITHOUT_ENDPOINT)
        .extracting(Inconsistency::pool, Inconsistency::ip, Inconsistency::pod)
        .contains(
            tuple(a, na + "20", key(noEp)),
            tuple(b, twiceIp, key(twice)),
            tuple(a, na + "99", key(out)));
    assertThat(found)
        .filteredOn(i -> i.kind() == Kind.ENDPOINT_WITHOUT_RECORD)
        .extracting(
            Inconsistency::pool, Inconsistency::ip, Inconsistency::pod, Inconsistency::podUid)
        .containsExactly(tuple(a, lost, key(noRec), noRec.getMetadata().getUid()));
    assertThat(found)
        .filteredOn(i -> i.kind() == Kind.RECORD_OF_DEAD_POD)
        .extracting(Inconsistency::pool, Inconsistency::ip, Inconsistency::podUid)
        .containsExactly(tuple(a, deadIp, dead.getMetadata().getUid()));
    assertThat(found)
        .filteredOn(i -> i.kind() == Kind.ENDPOINT_OF_DEAD_POD)
        .extracting(Inconsistency::pod, Inconsistency::podUid)
        .containsExactly(tuple(NS + "/dead", dead.getMetadata().getUid()));
    assertThat(found)
        .filteredOn(i -> i.kind() == Kind.ADDRESS_IN_TWO_POOLS)
        .extracting(Inconsistency::ip, Inconsistency::pool)
        .containsExactly(tuple(twiceIp, a + "," + b));
    assertThat(found)
        .filteredOn(i -> i.kind() == Kind.RECORD_OUTSIDE_RANGES)
        .extracting(Inconsistency::ip)
        .containsExactlyInAnyOrder(na + "30", na + "99");
    assertThat(found)
        .filteredOn(i -> i.kind() == Kind.RESERVED_IP_ALLOCATED)
        .extracting(Inconsistency::ip, Inconsistency::pod)
        .containsExactly(tuple(na + "25", key(out)));
    assertThat(found)
        .filteredOn(i -> i.kind() == Kind.POOL_COUNTERS_WRONG)
        .extracting(Inconsistency::pool)
        .containsExactly(b);
    assertThat(
            found.stream()
                .filter(i -> i.kind() == Kind.POOL_COUNTERS_WRONG)
                .findFirst()
                .get()
                .detail())
        .contains("allocatedIPCount is 7 but there are 1 records");

    List<Repair> repairs = checker.fix(new ConsistencyReport(0, 0, 0, 0, found));
    assertThat(repairs).allMatch(Repair::applied, "every safe repair applied");
    assertThat(repairs)
        .extracting(x -> x.target().kind())
        .containsExactlyInAnyOrder(
            Kind.RECORD_OF_DEAD_POD, Kind.ENDPOINT_OF_DEAD_POD, Kind.POOL_COUNTERS_WRONG);
    assertThat(fx.holds(a, deadIp)).isFalse();
    assertThat(fx.endpoint("dead")).isNull();
    assertThat(
            admin.resources(SpiderIPPool.class).withName(b).get().getStatus().getAllocatedIPCount())
        .isEqualTo(1L);

    List<Inconsistency> after = mine(checker.check(), pools, pods);
    assertThat(after).noneMatch(i -> i.kind().safeFix());
    // the unsafe kinds are reported, not touched
    assertThat(after)
        .extracting(Inconsistency::kind)
        .contains(
            Kind.RECORD_WITHOUT_ENDPOINT,
            Kind.ENDPOINT_WITHOUT_RECORD,
            Kind.ADDRESS_IN_TWO_POOLS,
            Kind.RECORD_OUTSIDE_RANGES,
            Kind.RESERVED_IP_ALLOCATED);
    assertThat(fx.holds(a, na + "20")).isTrue();
    assertThat(fx.holds(b, twiceIp)).isTrue();
  }

  @Test
  void aFixNeverFreesAnAddressReassignedAfterTheCheck() {
    String pool = pool(List.of("10-20"), null);
    Pod dead = fx.runningPod("gone", GcFixture.READY_NODE, null);
    String ip = fx.allocate(dead, pool);
    fx.deletePod("gone", 0);
    ConsistencyChecker checker = new ConsistencyChecker(admin);
    List<Inconsistency> found = mine(checker.check(), List.of(pool), List.of("gone"));
    assertThat(found).extracting(Inconsistency::kind).contains(Kind.RECORD_OF_DEAD_POD);

    // between the check and the fix the address goes to another Pod (a hand edit, an agent)
    Pod next = fx.runningPod("next", GcFixture.READY_NODE, null);
    edit(
        pool,
        r -> r.with(IpAddress.parse(ip), new PoolRecord(key(next), next.getMetadata().getUid())),
        null);

    List<Repair> repairs =
        checker.fix(
            new ConsistencyReport(
                0,
                0,
                0,
                0,
                found.stream().filter(i -> i.kind() == Kind.RECORD_OF_DEAD_POD).toList()));
    assertThat(repairs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.applied()).isFalse();
              assertThat(r.action())
                  .contains("no longer recorded for uid " + dead.getMetadata().getUid());
            });
    assertThat(fx.records(pool).get(IpAddress.parse(ip)).podUid())
        .isEqualTo(next.getMetadata().getUid());
  }

  @Test
  void aFixLeavesARecordWhosePodCameBackWithThatUid() {
    // a record read as dead because the Pod list was read before the Pod was created: the fix looks
    // the Pod up again first
    String pool = pool(List.of("10-20"), null);
    Pod late = fx.runningPod("late", GcFixture.READY_NODE, null);
    String ip = fx.allocate(late, pool);
    Inconsistency stale =
        new Inconsistency(
            Kind.RECORD_OF_DEAD_POD, pool, ip, key(late), late.getMetadata().getUid(), "");
    List<Repair> repairs =
        new ConsistencyChecker(admin).fix(new ConsistencyReport(0, 0, 0, 0, List.of(stale)));
    assertThat(repairs).singleElement().extracting(Repair::applied).isEqualTo(false);
    assertThat(fx.holds(pool, ip)).isTrue();
  }
}
