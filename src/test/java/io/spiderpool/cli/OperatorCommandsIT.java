// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.controller.GcFixture;
import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.api.SpiderReservedIPSpec;
import io.spiderpool.k8s.api.SpiderpoolApi;
import io.spiderpool.k8s.ops.IpamOperations;
import io.spiderpool.k8s.ops.OperatorError;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator commands (docs/cli.md) through picocli, as the executable runs them (no Quarkus),
 * against the real API server: results, refusals with their exit statuses, and the compare-and-set
 * cases where the state changes between the command's read and its write. Each test has its own
 * pool 10.152.N.0/24 on the shared control plane.
 */
@ExtendWith(ControlPlaneExtension.class)
class OperatorCommandsIT {
  private static final String NS = "cli-it";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static GcFixture fx;
  private static KubernetesClient admin;
  private static Path kubeconfig;
  private static int seq;

  @BeforeAll
  static void fixture(LocalControlPlane cp) {
    admin = cp.client();
    kubeconfig = cp.kubeconfig();
    fx = new GcFixture(admin, NS);
  }

  @AfterAll
  static void cleanup() {
    admin.resources(SpiderReservedIP.class).withName("cli-it-reserved").delete();
    fx.close();
  }

  /** What one run printed, and its exit status. */
  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
      }
    }
  }

  static Run spiderpool(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--kubeconfig");
    all.add(kubeconfig.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.commandLineWithoutQuarkus()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** A pool 10.152.n.10-40 with .40 excluded; returns its name. */
  private static String pool() {
    int n = ++seq;
    String name = "cli-it-" + n;
    String p = "10.152." + n + ".";
    fx.pool(name, p + "0/24", List.of(p + "10-" + p + "40"), List.of(p + "40"));
    return name;
  }

  private static String net(String pool) {
    return "10.152." + pool.substring(pool.lastIndexOf('-') + 1) + ".";
  }

  private static String uid(Pod p) {
    return p.getMetadata().getUid();
  }

  private static void edit(String pool, UnaryOperator<PoolRecords> change) {
    SpiderIPPool p = admin.resources(SpiderIPPool.class).withName(pool).get();
    if (p.getStatus() == null) {
      p.setStatus(new SpiderIPPoolStatus());
    }
    PoolRecords next = change.apply(PoolRecords.parse(p.getStatus().getAllocatedIPs()));
    p.getStatus().setAllocatedIPs(next.toJson());
    p.getStatus().setAllocatedIPCount((long) next.size());
    admin.resource(p).updateStatus();
  }

  @Test
  void poolListAndShowCountWhatThePoolHolds() {
    String pool = pool();
    String n = net(pool);
    Pod a = fx.runningPod("usage-a", GcFixture.READY_NODE, null);
    Pod b = fx.runningPod("usage-b", GcFixture.READY_NODE, null);
    String ipA = fx.allocate(a, pool); // .10
    String ipB = fx.allocate(b, pool); // .11
    assertThat(List.of(ipA, ipB)).containsExactly(n + "10", n + "11");

    Run list = spiderpool("pool", "list", "-o", "json");
    assertThat(list.exit()).as(list.err()).isZero();
    JsonNode row = null;
    for (JsonNode p : list.json()) {
      if (p.path("name").asText().equals(pool)) {
        row = p;
      }
    }
    assertThat(row).as("pool " + pool + " listed").isNotNull();
    // spec.ips .10-.40 = 31 addresses, .40 excluded: total 30; 2 records; free 28;
    // longest free run .12-.39 = 28
    assertThat(row.path("total").asLong()).isEqualTo(30);
    assertThat(row.path("allocated").asLong()).isEqualTo(2);
    assertThat(row.path("free").asLong()).isEqualTo(28);
    assertThat(row.path("excluded").asLong()).isEqualTo(1);
    assertThat(row.path("reserved").asLong()).isZero();
    assertThat(row.path("largestFreeRun").asLong()).isEqualTo(28);

    Run show = spiderpool("pool", "show", pool, "-o", "json");
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.json().path("usage").path("recordsPerNode").path(GcFixture.READY_NODE).asInt())
        .isEqualTo(2);
    assertThat(show.json().path("records").get(0).path("podUid").asText()).isEqualTo(uid(a));
    assertThat(show.json().path("records").get(1).path("interfaceName").asText()).isEqualTo("eth0");

    Run table = spiderpool("pool", "show", pool);
    assertThat(table.out()).contains("Allocated:         2").contains(ipA).contains(uid(b));

    Run missing = spiderpool("pool", "show", "cli-it-no-such-pool");
    assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("no SpiderIPPool cli-it-no-such-pool");
  }

  @Test
  void ipShowNamesTheHolderAndTheStateOfAnyAddress() {
    String pool = pool();
    String n = net(pool);
    Pod a = fx.runningPod("show-a", GcFixture.READY_NODE, null);
    String ip = fx.allocate(a, pool);

    JsonNode held = spiderpool("ip", "show", ip, "-o", "json").json();
    JsonNode in = held.path("pools").get(0);
    assertThat(in.path("pool").asText()).isEqualTo(pool);
    assertThat(in.path("state").asText()).isEqualTo("allocated");
    assertThat(in.path("pod").asText()).isEqualTo(NS + "/show-a");
    assertThat(in.path("podUid").asText()).isEqualTo(uid(a));
    assertThat(in.path("podExists").asText()).isEqualTo("yes");
    assertThat(in.path("node").asText()).isEqualTo(GcFixture.READY_NODE);
    assertThat(in.path("interfaceName").asText()).isEqualTo("eth0");
    assertThat(in.path("endpoint").asText()).isEqualTo(NS + "/show-a");

    assertThat(
            spiderpool("ip", "show", n + "30", "-o", "json")
                .json()
                .path("pools")
                .get(0)
                .path("state")
                .asText())
        .isEqualTo("free");
    assertThat(
            spiderpool("ip", "show", n + "40", "-o", "json")
                .json()
                .path("pools")
                .get(0)
                .path("state")
                .asText())
        .isEqualTo("excluded");

    fx.deletePod("show-a", 0);
    assertThat(
            spiderpool("ip", "show", ip, "-o", "json")
                .json()
                .path("pools")
                .get(0)
                .path("podExists")
                .asText())
        .isEqualTo("no");

    Run nowhere = spiderpool("ip", "show", "198.51.100.77");
    assertThat(nowhere.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    Run bad = spiderpool("ip", "show", "10.152.1");
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("is not an IP address");
  }

  @Test
  void releaseRefusesALivePodUnlessForcedAndFreesADeadPodsAddress() {
    String pool = pool();
    Pod live = fx.runningPod("rel-live", GcFixture.READY_NODE, null);
    String liveIp = fx.allocate(live, pool);

    Run refused = spiderpool("ip", "release", liveIp);
    assertThat(refused.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.err()).contains("which is alive").contains("--force");
    assertThat(fx.holds(pool, liveIp)).isTrue();

    Run dry = spiderpool("ip", "release", liveIp, "--force", "--dry-run", "-o", "json");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.json().path("dryRun").asBoolean()).isTrue();
    assertThat(dry.json().path("released").asBoolean()).isFalse();
    assertThat(fx.holds(pool, liveIp)).isTrue();

    Run forced = spiderpool("ip", "release", liveIp, "--force", "-o", "json");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(forced.json().path("podLive").asBoolean()).isTrue();
    assertThat(forced.json().path("endpointAction").asText()).isEqualTo("address-removed");
    assertThat(fx.holds(pool, liveIp)).isFalse();
    assertThat(fx.endpoint("rel-live")).as("a live Pod keeps its endpoint").isNotNull();

    Pod dead = fx.runningPod("rel-dead", GcFixture.READY_NODE, null);
    String deadIp = fx.allocate(dead, pool);
    fx.deletePod("rel-dead", 0);
    Run freed = spiderpool("ip", "release", deadIp, "-o", "json");
    assertThat(freed.exit()).as(freed.err()).isZero();
    assertThat(freed.json().path("endpointAction").asText()).isEqualTo("deleted");
    assertThat(fx.holds(pool, deadIp)).isFalse();
    assertThat(fx.endpoint("rel-dead")).isNull();

    Run again = spiderpool("ip", "release", deadIp);
    assertThat(again.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(again.err()).contains("is not allocated in any SpiderIPPool");
  }

  @Test
  void releaseNeverFreesAnAddressReassignedBetweenReadAndWrite() {
    String pool = pool();
    Pod gone = fx.runningPod("race-gone", GcFixture.READY_NODE, null);
    String ip = fx.allocate(gone, pool);
    fx.deletePod("race-gone", 0);
    IpamOperations ops = new IpamOperations(admin);
    IpamOperations.ReleasePlan plan = ops.planRelease(ip, false);
    assertThat(plan.podUid()).isEqualTo(uid(gone));

    Pod next = fx.runningPod("race-next", GcFixture.READY_NODE, null);
    edit(pool, r -> r.with(IpAddress.parse(ip), new PoolRecord(NS + "/race-next", uid(next))));

    assertThatThrownBy(() -> ops.release(plan))
        .isInstanceOf(OperatorError.class)
        .hasMessageContaining("was re-assigned to " + NS + "/race-next")
        .satisfies(
            e -> assertThat(((OperatorError) e).reason()).isEqualTo(OperatorError.Reason.REFUSED));
    assertThat(fx.records(pool).get(IpAddress.parse(ip)).podUid()).isEqualTo(uid(next));
  }

  @Test
  void allocateRecordsForThePodUidAndTheAddPathReturnsIt() {
    String pool = pool();
    String n = net(pool);
    Pod p = fx.runningPod("alloc-a", GcFixture.READY_NODE, null);
    Run run =
        spiderpool("ip", "allocate", "--pod", NS + "/alloc-a", "--ip", n + "25", "-o", "json");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.json().path("address").asText()).isEqualTo(n + "25/24");
    assertThat(fx.records(pool).get(IpAddress.parse(n + "25")))
        .isEqualTo(new PoolRecord(NS + "/alloc-a", uid(p)));
    assertThat(fx.endpoint("alloc-a").getStatus().getCurrent().getUid()).isEqualTo(uid(p));

    // the engine's ADD for that Pod (as the daemon serves the CNI ADD) returns the hand-made
    // address
    assertThat(fx.allocate(p, pool)).isEqualTo(n + "25");
    assertThat(fx.records(pool).size()).isEqualTo(1);

    Run again =
        spiderpool("ip", "allocate", "--pod", NS + "/alloc-a", "--ip", n + "25", "-o", "json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().path("existing").asBoolean()).isTrue();

    Pod other = fx.runningPod("alloc-b", GcFixture.READY_NODE, null);
    Run taken = spiderpool("ip", "allocate", "--pod", NS + "/alloc-b", "--ip", n + "25");
    assertThat(taken.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(taken.err()).contains("is taken").contains(NS + "/alloc-a");
    Run excluded = spiderpool("ip", "allocate", "--pod", NS + "/alloc-b", "--ip", n + "40");
    assertThat(excluded.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(excluded.err()).contains("excluded by spec.excludeIPs");
    Run outside =
        spiderpool("ip", "allocate", "--pod", NS + "/alloc-b", "--pool", pool, "--ip", n + "99");
    assertThat(outside.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(outside.err()).contains("is not in spec.ips");

    SpiderReservedIP res = new SpiderReservedIP();
    res.getMetadata().setName("cli-it-reserved");
    SpiderReservedIPSpec rs = new SpiderReservedIPSpec();
    rs.setIpVersion(4L);
    rs.setIps(List.of(n + "30"));
    res.setSpec(rs);
    admin.resource(res).create();
    Run reserved = spiderpool("ip", "allocate", "--pod", NS + "/alloc-b", "--ip", n + "30");
    assertThat(reserved.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(reserved.err()).contains("reserved by SpiderReservedIP cli-it-reserved");

    Run noPod = spiderpool("ip", "allocate", "--pod", NS + "/nobody", "--pool", pool);
    assertThat(noPod.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(noPod.err()).contains("create the Pod first");
    Run noSource = spiderpool("ip", "allocate", "--pod", NS + "/alloc-b");
    assertThat(noSource.exit()).isEqualTo(ExitCodes.USAGE);

    Run lowest =
        spiderpool("ip", "allocate", "--pod", NS + "/alloc-b", "--pool", pool, "-o", "json");
    assertThat(lowest.exit()).as(lowest.err()).isZero();
    assertThat(lowest.json().path("address").asText()).isEqualTo(n + "10/24");
    assertThat(fx.records(pool).get(IpAddress.parse(n + "10")).podUid()).isEqualTo(uid(other));
  }

  @Test
  void allocateRefusesAnAddressTakenBetweenReadAndWrite() {
    String pool = pool();
    String n = net(pool);
    fx.runningPod("late-a", GcFixture.READY_NODE, null);
    Pod b = fx.runningPod("late-b", GcFixture.READY_NODE, null);
    IpamOperations ops = new IpamOperations(admin);
    IpamOperations.AllocatePlan plan = ops.planAllocate(NS, "late-a", "eth0", null, n + "20");
    edit(pool, r -> r.with(IpAddress.parse(n + "20"), new PoolRecord(NS + "/late-b", uid(b))));
    assertThatThrownBy(() -> ops.allocate(plan))
        .isInstanceOf(OperatorError.class)
        .hasMessageContaining("is taken")
        .hasMessageContaining(NS + "/late-b");
    assertThat(fx.records(pool).get(IpAddress.parse(n + "20")).podUid()).isEqualTo(uid(b));
    assertThat(fx.endpoint("late-a")).isNull();
  }

  @Test
  void checkExitsNonZeroOnAnInconsistencyAndFixRepairsTheSafeOnes() {
    String pool = pool();
    Pod dead = fx.runningPod("chk-dead", GcFixture.READY_NODE, null);
    String ip = fx.allocate(dead, pool);
    fx.deletePod("chk-dead", 0);

    Run check = spiderpool("check", "-o", "json");
    assertThat(check.exit()).isEqualTo(ExitCodes.INCONSISTENT);
    assertThat(check.json().path("inconsistencies").findValuesAsText("ip")).contains(ip);
    assertThat(check.err()).contains("reading SpiderIPPools");

    Run fixed = spiderpool("check", "--fix", "-o", "yaml");
    JsonNode doc;
    try {
      doc = new ObjectMapper(new YAMLFactory()).readTree(fixed.out());
    } catch (Exception e) {
      throw new AssertionError(fixed.out(), e);
    }
    assertThat(doc.path("repairs").findValuesAsText("action"))
        .anyMatch(a -> a.contains("freed " + ip + " in " + pool));
    assertThat(fx.holds(pool, ip)).isFalse();
    assertThat(fx.endpoint("chk-dead")).isNull();
    assertThat(doc.path("remaining").findValuesAsText("ip")).doesNotContain(ip);
  }

  @Test
  void gcRunIsServedByTheControllerRoleAndTimesOutWithoutOne() {
    String pool = pool();
    Run unserved = spiderpool("gc", "run", "--timeout", "2s");
    assertThat(unserved.exit()).as(unserved.err()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(unserved.err()).contains("is a controller role running");
    Run status = spiderpool("gc", "status", "-o", "json");
    JsonNode mine = null;
    for (JsonNode s : status.json()) {
      if (s.path("pool").asText().equals(pool)) {
        mine = s;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.path("pending").asBoolean()).isTrue();

    ControllerRole role =
        new ControllerRole(admin, ClusterConfig.DEFAULTS, GcSettings.DEFAULTS, () -> true);
    role.start();
    try {
      Run served = spiderpool("gc", "run", "--timeout", "60s", "-o", "json");
      assertThat(served.exit()).as(served.err()).isZero();
      assertThat(served.json().path("scanned").asInt())
          .isEqualTo(served.json().path("pools").asInt());
      String token = served.json().path("token").asText();
      assertThat(
              admin
                  .resources(SpiderIPPool.class)
                  .withName(pool)
                  .get()
                  .getMetadata()
                  .getAnnotations())
          .containsEntry(SpiderpoolApi.GC_DONE, token);
    } finally {
      role.stop();
    }
  }

  /**
   * Golden files of the output formats scripts and eyes rely on: a fixed pool with two allocations,
   * printed by the commands, compared structurally with src/test/resources/golden/*.json (UIDs
   * replaced by a placeholder; table rows compared cell by cell). The files were written from this
   * test's own output with {@code -Dspiderpool.golden.update=true}.
   */
  @Test
  void outputMatchesTheGoldenFiles() throws Exception {
    String pool = "cli-golden";
    fx.pool(
        pool, "10.152.200.0/24", List.of("10.152.200.10-10.152.200.20"), List.of("10.152.200.20"));
    Pod a = fx.runningPod("golden-a", GcFixture.READY_NODE, null);
    Pod b = fx.runningPod("golden-b", GcFixture.READY_NODE, null);
    fx.allocate(a, pool);
    fx.allocate(b, pool);
    Map<String, String> uids = Map.of(uid(a), "<uid-a>", uid(b), "<uid-b>");

    Golden.assertJson(
        "pool-show.json",
        Golden.replace(spiderpool("pool", "show", pool, "-o", "json").out(), uids));
    Golden.assertJson(
        "ip-show.json",
        Golden.replace(spiderpool("ip", "show", "10.152.200.11", "-o", "json").out(), uids));
    Run table = spiderpool("pool", "list");
    List<String> lines = table.out().lines().toList();
    List<List<String>> rows = new ArrayList<>();
    rows.add(Golden.cells(lines.get(0)));
    lines.stream().filter(l -> l.startsWith(pool + " ")).map(Golden::cells).forEach(rows::add);
    Golden.assertJson("pool-list-table.json", JSON.writeValueAsString(rows));
    Run showTable = spiderpool("pool", "show", pool);
    Golden.assertJson(
        "pool-show-table.json",
        JSON.writeValueAsString(
            Golden.replace(showTable.out(), uids).lines().map(Golden::cells).toList()));
  }

  @Test
  void anUnreachableApiServerSaysWhatToCheck() {
    StringWriter err = new StringWriter();
    int exit =
        Main.commandLineWithoutQuarkus()
            .setOut(new PrintWriter(new StringWriter()))
            .setErr(new PrintWriter(err))
            .execute("pool", "list", "--kubeconfig", "/nonexistent/kubeconfig");
    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--kubeconfig /nonexistent/kubeconfig: no readable file");
  }
}
